import Foundation
import Tensor
@testable import MelCNN
import XCTest

/// A small synthetic GTZAN-layout folder shared by the data tests: 3 genres x 4 clips
/// of 1 s at 22050 Hz, plus a corrupt file (blues/corrupt.wav) and an empty file
/// (country/empty.wav). Built once per test process.
enum DataFixture {
    static let genres = ["blues", "classical", "country"]
    static let perGenre = 4

    nonisolated(unsafe) private static var cached: URL?

    static func folder() throws -> URL {
        if let cached { return cached }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-data-fixture-\(getpid())")
        try? FileManager.default.removeItem(at: dir)
        try Synth.generate(into: dir, options: .init(genres: 3, perGenre: perGenre, seconds: 1, sampleRate: 22050, seed: 3, jobs: 2))
        var junk = SeededGenerator(seed: 1)
        let bytes = (0 ..< 3000).map { _ in UInt8(truncatingIfNeeded: junk.next()) }
        try Data(bytes).write(to: dir.appendingPathComponent("blues/corrupt.wav"))
        try Data().write(to: dir.appendingPathComponent("country/empty.wav"))
        cached = dir
        atexit { DataFixture.removeFiles() }
        return dir
    }

    /// A prepared dataset.h5 of the fixture (split 0.5, 0.25, 0.25), built once.
    nonisolated(unsafe) private static var preparedPath: String?

    static func prepared() throws -> String {
        if let preparedPath { return preparedPath }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-data-fixture-\(getpid()).h5").path
        _ = try DatasetPreparer.prepare(audioDirectory: try folder().path, output: out,
                                        options: PrepareOptions(split: .fractions(train: 0.5, validation: 0.25, test: 0.25),
                                                                jobs: 2, seed: 11))
        preparedPath = out
        return out
    }

    /// Removes the shared folder and data set when the test process exits.
    static func removeFiles() {
        if let cached { try? FileManager.default.removeItem(at: cached) }
        if let preparedPath { try? FileManager.default.removeItem(atPath: preparedPath) }
    }

    static func temporaryDirectory(_ test: XCTestCase) throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("melcnn-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }
}

