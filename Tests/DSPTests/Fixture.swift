import DSP
import Foundation
import HDF5
import TestSupport
import XCTest

/// Access to the librosa parity fixtures in `Tests/Fixtures/dsp/` (written by
/// `Tests/Fixtures/generate_dsp_fixtures.py`; matrices are `[frames x bins]`).
enum Fixture {
    static let directory = Repository.fixtures.appendingPathComponent("dsp")

    /// Opens `Tests/Fixtures/dsp/<name>.h5` read-only.
    static func file(_ name: String) throws -> H5File {
        try H5File.open(directory.appendingPathComponent("\(name).h5").path)
    }

    /// A 2-D float32 dataset as a matrix.
    static func matrix(_ file: H5File, _ path: String) throws -> FeatureMatrix {
        let ds = try file.openDataset(path)
        let shape = try ds.shape
        precondition(shape.count == 2, "\(path) is not 2-D")
        return FeatureMatrix(frames: shape[0], bins: shape[1], data: try ds.read(as: Float.self))
    }

    /// One of the input signals of `signals.h5` (22050 Hz, float32).
    static func signal(_ name: String) throws -> [Float] {
        try file("signals").openDataset(name).read(as: Float.self)
    }

    /// The five input signals of the issue.
    static let signalNames = ["chirp", "chord_noise", "silence_edges", "odd_length", "one_second"]
}

/// Largest |a - b| over two equally shaped matrices (fails the test on a shape mismatch).
func maxAbsDifference(_ a: FeatureMatrix, _ b: FeatureMatrix, _ label: String,
                      file: StaticString = #filePath, line: UInt = #line) -> Float {
    XCTAssertEqual(a.frames, b.frames, "\(label): frames", file: file, line: line)
    XCTAssertEqual(a.bins, b.bins, "\(label): bins", file: file, line: line)
    guard a.frames == b.frames, a.bins == b.bins else { return .infinity }
    return zip(a.data, b.data).reduce(Float(0)) { max($0, abs($1.0 - $1.1)) }
}

/// Largest |x| of a matrix.
func maxAbs(_ m: FeatureMatrix) -> Float { m.data.reduce(Float(0)) { max($0, abs($1)) } }

/// max - min of a matrix.
func valueRange(_ m: FeatureMatrix) -> Float { (m.data.max() ?? 0) - (m.data.min() ?? 0) }

/// Asserts `error <= bound` and prints the measured error (the README's parity table
/// is read from these lines: `swift test --filter DSPTests | grep parity`).
func assertParity(_ error: Float, _ bound: Float, _ label: String, relativeTo scale: Float? = nil,
                  file: StaticString = #filePath, line: UInt = #line) {
    let relative = scale.map { " = \($0 > 0 ? error / $0 : 0) x scale" } ?? ""
    print("parity \(label): max error \(error)\(relative) (bound \(bound))")
    XCTAssertLessThanOrEqual(error, bound, label, file: file, line: line)
}
