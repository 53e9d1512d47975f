import CHDF5
import Foundation
import NN

/// Read-only access to an HDF5 fixture written by `Tests/Fixtures/generate_nn_train_step_fixture.py`
/// (a few direct HDF5 C calls: datasets read as float32 / int32, float64 attributes).
final class Fixture {
    private let file: hid_t

    /// Opens `Tests/Fixtures/<name>`.
    init(_ name: String, filePath: String = #filePath) throws {
        let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/\(name)")
        melcnn_h5_silence_errors()
        file = H5Fopen(url.path, melcnn_h5f_acc_rdonly(), melcnn_h5p_default())
        if file < 0 { throw FixtureError("cannot open \(url.path)") }
    }

    deinit { H5Fclose(file) }

    /// True when `path` names a link in the file (each component is checked).
    func exists(_ path: String) -> Bool {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + component
            if H5Lexists(file, prefix, melcnn_h5p_default()) <= 0 { return false }
        }
        return true
    }

    /// A dataset as a shape and float32 values.
    func array(_ path: String) throws -> NamedArray {
        let (shape, values) = try read(path, type: melcnn_h5t_native_float(), zero: Float(0))
        return NamedArray(shape: shape, values: values)
    }

    /// A dataset's float32 values.
    func floats(_ path: String) throws -> [Float] { try array(path).values }

    /// A dataset read as float64.
    func doubles(_ path: String) throws -> [Double] {
        try read(path, type: melcnn_h5t_native_double(), zero: Double(0)).1
    }

    /// A dataset read as Int (stored as any integer type).
    func ints(_ path: String) throws -> [Int] {
        try read(path, type: melcnn_h5t_native_int64(), zero: Int64(0)).1.map(Int.init)
    }

    /// A uint8 dataset decoded as UTF-8 text.
    func text(_ path: String) throws -> String {
        let bytes = try read(path, type: melcnn_h5t_native_uint8(), zero: UInt8(0)).1
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A numeric attribute of the object at `path` read as float64.
    func attribute(_ path: String, _ name: String) throws -> Double {
        let attr = H5Aopen_by_name(file, path, name, melcnn_h5p_default(), melcnn_h5p_default())
        guard attr >= 0 else { throw FixtureError("no attribute \(name) on \(path)") }
        defer { H5Aclose(attr) }
        var value = 0.0
        guard H5Aread(attr, melcnn_h5t_native_double(), &value) >= 0 else { throw FixtureError("cannot read \(path)@\(name)") }
        return value
    }

    /// All parameter arrays under a group whose members are state-dict names, in `names` order.
    func stateDict(_ group: String, names: [String]) throws -> StateDict {
        var dict = StateDict()
        for name in names { dict[name] = try array("\(group)/\(name)") }
        return dict
    }

    private func read<T>(_ path: String, type: hid_t, zero: T) throws -> ([Int], [T]) {
        let dataset = H5Dopen2(file, path, melcnn_h5p_default())
        guard dataset >= 0 else { throw FixtureError("no dataset \(path)") }
        defer { H5Dclose(dataset) }
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: max(rank, 1))
        H5Sget_simple_extent_dims(space, &dims, nil)
        let shape = (0 ..< rank).map { Int(dims[$0]) }
        var values = [T](repeating: zero, count: shape.reduce(1, *))
        let status = values.withUnsafeMutableBytes {
            H5Dread(dataset, type, melcnn_h5s_all(), melcnn_h5s_all(), melcnn_h5p_default(), $0.baseAddress)
        }
        guard status >= 0 else { throw FixtureError("cannot read \(path)") }
        return (shape, values)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// max |a - b| / max |reference| (0 when both are all zero).
func relativeMaxError(_ a: [Float], _ reference: [Float]) -> Float {
    precondition(a.count == reference.count, "relativeMaxError: \(a.count) vs \(reference.count) elements")
    var err: Float = 0, scale: Float = 0
    for i in 0 ..< a.count {
        err = max(err, abs(a[i] - reference[i]))
        scale = max(scale, abs(reference[i]))
    }
    return scale == 0 ? err : err / scale
}
