import Foundation
import NN
import Tensor
import XCTest
@testable import MelCNN

/// The protobuf wire format and the ONNX graph `ONNXExport` writes, read back with a small
/// protobuf reader (field numbers from onnx.proto).
final class ONNXExportTests: XCTestCase {
    func testWireFormatMatchesProtobufEncoding() {
        var w = ProtobufWriter()
        w.int(1, 300)        // key 0x08, varint 300 = AC 02 (protobuf.dev encoding guide)
        w.string(2, "hi")    // key 0x12, length 2
        w.int(3, -1)         // negative int64: ten bytes
        w.float(4, 1)        // key 0x25, 00 00 80 3F
        XCTAssertEqual([UInt8](w.data), [0x08, 0xAC, 0x02, 0x12, 0x02, 0x68, 0x69,
                                         0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
                                         0x25, 0x00, 0x00, 0x80, 0x3F])
    }

    /// Fields of one message: (number, varint value or nil, bytes for length-delimited).
    private func fields(_ data: Data) -> [(Int, UInt64?, Data)] {
        var out: [(Int, UInt64?, Data)] = [], i = data.startIndex
        func varint() -> UInt64 {
            var v: UInt64 = 0, shift: UInt64 = 0
            while true {
                let b = data[i]; i += 1
                v |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return v }
                shift += 7
            }
        }
        while i < data.endIndex {
            let key = varint()
            switch key & 7 {
            case 0: out.append((Int(key >> 3), varint(), Data()))
            case 2:
                let n = Int(varint())
                out.append((Int(key >> 3), nil, data.subdata(in: i ..< i + n))); i += n
            case 5: out.append((Int(key >> 3), nil, data.subdata(in: i ..< i + 4))); i += 4
            default: XCTFail("unexpected wire type \(key & 7)"); return out
            }
        }
        return out
    }

    private func strings(_ message: Data, _ number: Int) -> [String] {
        fields(message).filter { $0.0 == number }.map { String(decoding: $0.2, as: UTF8.self) }
    }

    func testGraphOfASmallNetwork() throws {
        var spec = ModelSpec()
        spec.conv = [.init(channels: 4, kernel: 3, pool: 2), .init(channels: 5, kernel: 2, padding: 1)]
        spec.batchNorm = true
        spec.dense = [6]
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 8, classCount: 3, using: &rng)
        let data = try ONNXExport.encode(spec: spec, inputChannels: 8, classCount: 3, stateDict: model.stateDict(),
                                         metadata: ["classes": "[\"a\",\"b\",\"c\"]"])
        let top = fields(data)
        XCTAssertEqual(top.first { $0.0 == 1 }?.1, 8, "ir_version")
        let opset = fields(try XCTUnwrap(top.first { $0.0 == 8 }?.2))
        XCTAssertEqual(opset.first { $0.0 == 2 }?.1, 17)
        let graph = try XCTUnwrap(top.first { $0.0 == 7 }?.2)
        let nodes = fields(graph).filter { $0.0 == 1 }.map(\.2)
        XCTAssertEqual(nodes.map { strings($0, 4).first ?? "" }, [
            "Conv", "BatchNormalization", "Relu", "MaxPool", "Conv", "BatchNormalization", "Relu",
            "ReduceMean", "ReduceMax", "Mul", "ReduceMean", "Sqrt", "Concat", "Gemm", "Relu", "Gemm", "Softmax"])
        // Every node input is the graph input, an initialiser or an earlier node's output.
        let initializers = fields(graph).filter { $0.0 == 5 }.map { strings($0.2, 8).first ?? "" }
        XCTAssertEqual(Set(initializers), Set(model.stateDict().names.filter { !$0.hasSuffix("num_batches_tracked") }))
        var known = Set(initializers + ["logmel"])
        for node in nodes {
            for input in strings(node, 1) { XCTAssertTrue(known.contains(input), "\(input) used before it exists") }
            known.formUnion(strings(node, 2))
        }
        let outputs = fields(graph).filter { $0.0 == 12 }.map { strings($0.2, 1).first ?? "" }
        XCTAssertEqual(outputs, ["probabilities", "embedding"])
        XCTAssertTrue(known.isSuperset(of: outputs))
        let metadata = fields(data).filter { $0.0 == 14 }.map { strings($0.2, 1) + strings($0.2, 2) }
        XCTAssertEqual(metadata, [["classes", "[\"a\",\"b\",\"c\"]"]])
    }

    func testShapeMismatchIsAnError() {
        var spec = ModelSpec()
        spec.conv = [.init(channels: 4, kernel: 3)]
        spec.dense = []
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 8, classCount: 3, using: &rng)
        XCTAssertThrowsError(try ONNXExport.encode(spec: spec, inputChannels: 9, classCount: 3,
                                                   stateDict: model.stateDict())) { error in
            XCTAssertTrue("\(error)".contains("conv1.weight"), "\(error)")
        }
    }
}

/// A factor model (trained on `prepare --targets` data with standardised targets) through both export formats.
extension ONNXExportTests {
    /// Op types of the graph's nodes and the graph's output names.
    private func opsAndOutputs(_ data: Data) throws -> (ops: [String], outputs: [String]) {
        let graph = try XCTUnwrap(fields(data).first { $0.0 == 7 }?.2)
        return (fields(graph).filter { $0.0 == 1 }.map { strings($0.2, 4).first ?? "" },
                fields(graph).filter { $0.0 == 12 }.map { strings($0.2, 1).first ?? "" })
    }

    func testFactorModelExportsFactorsInTheALSScale() throws {
        let dir = try TinyDataset.temporaryDirectory(self)
        let data = try TinyDataset.write(to: dir.appendingPathComponent("f.h5").path, data: TinyDataset.config().data,
                                         factors: TargetStandardizationTests.factors, target: TargetStandardizationTests.target)
        var config = TinyDataset.config()
        config.model.batchNorm = false
        config.train.epochs = 1
        let trainer = try Trainer(config: config, tracks: try TrainingTracks.load(path: data), runDirectory: dir.appendingPathComponent("run"))
        _ = try trainer.run()
        let folded = try TrainedModel(checkpointPath: trainer.lastURL.path).model.stateDict()
        XCTAssertNotEqual(folded["out.bias"], trainer.model.stateDict()["out.bias"])

        // safetensors: the folded output layer, task = factors.
        let st = dir.appendingPathComponent("m.safetensors").path
        try ModelExporter.export(checkpointPath: trainer.lastURL.path, format: .safetensors, to: st)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: st))
        let n = Int(bytes.prefix(8).enumerated().reduce(UInt64(0)) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) })
        let header = try JSONSerialization.jsonObject(with: bytes.subdata(in: 8 ..< 8 + n)) as! [String: Any]
        XCTAssertEqual((header["__metadata__"] as! [String: String])["task"], "factors")
        let entry = header["out.bias"] as! [String: Any], offsets = entry["data_offsets"] as! [Int]
        let raw = bytes.subdata(in: 8 + n + offsets[0] ..< 8 + n + offsets[1])
        let bias = raw.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        XCTAssertEqual(bias, folded["out.bias"]?.values)

        // ONNX: the graph ends in the output layer, named factors (no softmax).
        let onnx = dir.appendingPathComponent("m.onnx").path
        try ModelExporter.export(checkpointPath: trainer.lastURL.path, format: .onnx, to: onnx)
        let model = try Data(contentsOf: URL(fileURLWithPath: onnx))
        let graph = try opsAndOutputs(model)
        XCTAssertEqual(graph.ops.last, "Gemm")
        XCTAssertEqual(graph.outputs, ["factors", "embedding"])
        let metadata = Dictionary(fields(model).filter { $0.0 == 14 }.map { (strings($0.2, 1)[0], strings($0.2, 2)[0]) }) { a, _ in a }
        XCTAssertEqual(metadata["task"], "factors")
    }

    func testFactorHeadEndsInTheOutputLayer() throws {
        var spec = ModelSpec()
        spec.conv = [.init(channels: 4, kernel: 3)]
        spec.dense = []
        var rng = SeededGenerator(seed: 1)
        let model = GenreCNN(spec: spec, inputChannels: 8, classCount: 5, using: &rng)
        let factors = try ONNXExport.encode(spec: spec, inputChannels: 8, classCount: 5, stateDict: model.stateDict(), head: .factors)
        let softmax = try ONNXExport.encode(spec: spec, inputChannels: 8, classCount: 5, stateDict: model.stateDict())
        XCTAssertEqual(try opsAndOutputs(factors).ops.suffix(2), ["Concat", "Gemm"])
        XCTAssertEqual(try opsAndOutputs(factors).outputs, ["factors", "embedding"])
        XCTAssertEqual(try opsAndOutputs(softmax).ops.last, "Softmax")
        XCTAssertEqual(try opsAndOutputs(softmax).outputs, ["probabilities", "embedding"])
    }
}
