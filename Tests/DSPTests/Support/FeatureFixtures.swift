import DSP
import Foundation
import HDF5
import TestSupport
import XCTest

/// One `Tests/Fixtures/features_<clip>.h5` file written by `generate_feature_fixtures.py`
/// (librosa 0.11.0 outputs on a synthetic clip; matrices stored as melcnn's [frames x bins]).
struct FeatureFixture {
    static let clips = ["click", "song", "tempochange", "chirp"]
    static let directory = Repository.fixtures

    let name: String
    let file: H5File
    let sampleRate: Double

    init(_ name: String) throws {
        self.name = name
        file = try H5File.open(Self.directory.appendingPathComponent("features_\(name).h5").path)
        sampleRate = Double(try file.attributes.read("sample_rate", as: Int64.self))
    }

    /// The clip as librosa saw it: int16 / 32768 in float32.
    func audio() throws -> [Float] {
        try file.openDataset("audio").read(as: Int16.self).map { Float($0) / 32768 }
    }

    func floats(_ path: String) throws -> [Float] { try file.openDataset(path).read(as: Float.self) }
    func doubles(_ path: String) throws -> [Double] { try file.openDataset(path).read(as: Double.self) }
    func ints(_ path: String) throws -> [Int] { try file.openDataset(path).read(as: Int64.self).map { Int($0) } }
    func scalar(_ path: String) throws -> Double { try file.openDataset(path).readScalar(as: Double.self) }

    /// A stored `[frames x bins]` matrix.
    func matrix(_ path: String) throws -> FeatureMatrix {
        let d = try file.openDataset(path)
        let shape = try d.shape
        return FeatureMatrix(frames: shape[0], bins: shape[1], data: try d.read(as: Float.self))
    }
}

/// Asserts `max |actual - expected| <= tolerance x (max - min of expected)` and returns the ratio
/// `max error / range` so tests can report it.
@discardableResult
func assertWithinRange(_ actual: [Float], _ expected: [Float], fraction: Double, _ what: String,
                       file: StaticString = #filePath, line: UInt = #line) -> Double {
    XCTAssertEqual(actual.count, expected.count, "\(what): length", file: file, line: line)
    guard actual.count == expected.count, !expected.isEmpty else { return .infinity }
    let lo = Double(expected.min()!), hi = Double(expected.max()!)
    let range = max(hi - lo, Double.leastNormalMagnitude)
    var worst = 0.0
    for (a, e) in zip(actual, expected) { worst = max(worst, abs(Double(a) - Double(e))) }
    XCTAssertLessThanOrEqual(worst, fraction * range,
                             "\(what): max error \(worst) > \(fraction) x range \(range)", file: file, line: line)
    return worst / range
}
