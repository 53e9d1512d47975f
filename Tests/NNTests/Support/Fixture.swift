import Foundation
import HDF5
import NN
import TestSupport

/// Read access to the HDF5 fixtures in `Tests/Fixtures/` (written by the generator scripts there).
final class Fixture {
    private let file: H5File

    /// `Tests/Fixtures/`.
    static let directory = Repository.fixtures

    /// Opens `Tests/Fixtures/<name>`.
    init(_ name: String) throws {
        file = try H5File.open(Fixture.directory.appendingPathComponent(name).path)
    }

    /// True when `path` names an object in the file.
    func exists(_ path: String) -> Bool { (try? file.exists(path)) ?? false }

    /// A dataset as a shape and float32 values.
    func array(_ path: String) throws -> NamedArray {
        let dataset = try file.openDataset(path)
        return NamedArray(shape: try dataset.shape, values: try dataset.read(as: Float.self))
    }

    /// A dataset's float32 values.
    func floats(_ path: String) throws -> [Float] { try file.openDataset(path).read(as: Float.self) }

    /// A dataset read as float64.
    func doubles(_ path: String) throws -> [Double] { try file.openDataset(path).read(as: Double.self) }

    /// A dataset read as Int.
    func ints(_ path: String) throws -> [Int] { try file.openDataset(path).read(as: Int.self) }

    /// A uint8 dataset decoded as UTF-8 text.
    func text(_ path: String) throws -> String {
        String(decoding: try file.openDataset(path).read(as: UInt8.self), as: UTF8.self)
    }

    /// A numeric attribute of the group or dataset at `path`, as float64.
    func attribute(_ path: String, _ name: String) throws -> Double {
        if try file.kind(of: path) == .group {
            return try file.openGroup(path).attributes.read(name, as: Double.self)
        }
        return try file.openDataset(path).attributes.read(name, as: Double.self)
    }

    /// The arrays `<group>/<name>` for each state-dict name, in `names` order.
    func stateDict(_ group: String, names: [String]) throws -> StateDict {
        var dict = StateDict()
        for name in names { dict[name] = try array("\(group)/\(name)") }
        return dict
    }
}

/// max |a - b| / max |reference| (the plain max error when the reference is all zero).
func relativeMaxError(_ a: [Float], _ reference: [Float]) -> Float {
    precondition(a.count == reference.count, "relativeMaxError: \(a.count) vs \(reference.count) elements")
    var err: Float = 0, scale: Float = 0
    for i in 0 ..< a.count {
        err = max(err, abs(a[i] - reference[i]))
        scale = max(scale, abs(reference[i]))
    }
    return scale == 0 ? err : err / scale
}
