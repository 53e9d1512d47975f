import Foundation
import NN

/// The safetensors format (Hugging Face, https://github.com/huggingface/safetensors): an
/// 8-byte little-endian header length, a JSON header `{name: {dtype, shape, data_offsets},
/// "__metadata__": {string: string}}` padded with spaces to a multiple of 8 bytes, then the
/// tensors' raw little-endian bytes in header order. `safetensors.torch.load_file` reads it.
public enum Safetensors {
    /// The file's bytes for `stateDict`: float32 tensors (`F32`), except PyTorch's integer
    /// buffers (`num_batches_tracked`, written as `I64` like `torch.save`), under their
    /// state-dict names; `metadata` goes to `__metadata__`.
    public static func encode(_ stateDict: StateDict, metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        var payload = Data()
        for (name, array) in stateDict {
            let count = array.shape.reduce(1, *)
            guard count == array.values.count else {
                throw MelCNNError.invalidArgument("state dict entry \(name) has \(array.values.count) values for shape \(array.shape)")
            }
            let start = payload.count
            let dtype: String
            if isIntegerBuffer(name) {
                dtype = "I64"
                for v in array.values { withUnsafeBytes(of: Int64(v).littleEndian) { payload.append(contentsOf: $0) } }
            } else {
                dtype = "F32"
                for v in array.values { withUnsafeBytes(of: v.bitPattern.littleEndian) { payload.append(contentsOf: $0) } }
            }
            header[name] = ["dtype": dtype, "shape": array.shape, "data_offsets": [start, payload.count]] as [String: Any]
        }
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data()
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        out.append(payload)
        return out
    }

    /// PyTorch keeps these buffers as int64.
    static func isIntegerBuffer(_ name: String) -> Bool { name.hasSuffix("num_batches_tracked") }
}
