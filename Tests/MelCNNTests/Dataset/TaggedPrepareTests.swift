import Foundation
import HDF5
@testable import MelCNN
import XCTest

/// `prepare --manifest` with a `tags` column: the vocabulary and the `[tracks, tags]` matrix,
/// read back; bad tag columns are one-line errors, empty tag sets listed skips.
final class TaggedPrepareTests: XCTestCase {
    func write(_ text: String, _ dir: URL) throws -> String {
        let csv = dir.appendingPathComponent("tags-\(UUID().uuidString).csv").path
        try text.write(toFile: csv, atomically: true, encoding: .utf8)
        return csv
    }

    func testTagsAreStoredAndReadBack() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = try write("""
            path,tags
            blues/blues.00000.wav,slow; dark
            blues/blues.00001.wav,slow;;bright
            classical/classical.00000.wav,dark
            classical/classical.00001.wav,
            country/country.00000.wav,fast;bright;slow
            country/country.00001.wav,"fast;dark"
            """, dir)
        let out = dir.appendingPathComponent("t.h5").path
        var skipped: [String] = []
        let summary = try DatasetPreparer.prepare(audioDirectory: folder.path, output: out,
                                                  options: PrepareOptions(split: .fractions(train: 1, validation: 0, test: 0), manifest: csv, jobs: 2)) {
            if case let .skipped(path, reason) = $0 { skipped.append("\(path): \(reason)") }
        }
        XCTAssertEqual(summary.classes, ["bright", "dark", "fast", "slow"])
        XCTAssertEqual(summary.tracks, 5)
        XCTAssertEqual(skipped, ["classical/classical.00001.wav: \(csv):5: empty tag set"])
        let file = try H5File.open(out)
        defer { file.close() }
        XCTAssertEqual(try file.attributes.read("version", as: Int64.self), MelDataset.taggedVersion)
        XCTAssertEqual(try file.openDataset("tags/names").readStrings(), ["bright", "dark", "fast", "slow"])
        XCTAssertEqual(try file.openDataset("tracks/tags").shape, [5, 4])
        let tracks = try TrainingTracks.load(path: out)
        XCTAssertTrue(tracks.isTagged)
        let rows = Dictionary(uniqueKeysWithValues: tracks.paths.indices.map { (tracks.paths[$0], Array(tracks.tags(of: $0))) })
        XCTAssertEqual(rows["blues/blues.00000.wav"], [0, 1, 0, 1])
        XCTAssertEqual(rows["blues/blues.00001.wav"], [1, 0, 0, 1])
        XCTAssertEqual(rows["country/country.00000.wav"], [1, 0, 1, 1])
        XCTAssertEqual(rows["country/country.00001.wav"], [0, 1, 1, 0])
        // The label (stratification key) is the first tag in sorted order.
        XCTAssertEqual(tracks.classes[tracks.labels[tracks.paths.firstIndex(of: "country/country.00000.wav")!]], "bright")
    }

    func testSingleLabelSetsAreUnchanged() throws {
        let file = try H5File.open(try DataFixture.prepared())
        defer { file.close() }
        XCTAssertEqual(try file.attributes.read("version", as: Int64.self), MelDataset.version)
        XCTAssertFalse(try file.exists("tracks/tags"))
        XCTAssertFalse(try TrainingTracks.load(path: try DataFixture.prepared()).isTagged)
    }

    func testBadTagManifestsAreOneLineErrors() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        let unknown = try write("path,genre,tags\nblues/blues.00000.wav,x,a\n", dir)
        XCTAssertThrowsError(try AudioDiscovery.taggedManifest(unknown, directory: folder.path)) {
            XCTAssertEqual("\($0)", "\(unknown):1: unknown column \"genre\" (expected path, then label and/or tags, optionally group)")
        }
        let twice = try write("path,tags,tags\n", dir)
        XCTAssertThrowsError(try AudioDiscovery.taggedManifest(twice, directory: folder.path)) {
            XCTAssertEqual("\($0)", "\(twice):1: the header needs path and a label or tags column, each once")
        }
        let short = try write("path,label,tags\nblues/blues.00000.wav,blues\n", dir)
        XCTAssertThrowsError(try AudioDiscovery.taggedManifest(short, directory: folder.path)) {
            XCTAssertEqual("\($0)", "\(short):2: expected 3 fields (the header's columns), got 2")
        }
        let allEmpty = try write("path,tags\nblues/blues.00000.wav,\nblues/blues.00001.wav, ; \n", dir)
        XCTAssertThrowsError(try DatasetPreparer.prepare(audioDirectory: folder.path, output: dir.appendingPathComponent("e.h5").path,
                                                         options: PrepareOptions(manifest: allEmpty, jobs: 1))) {
            XCTAssertTrue("\($0)".contains("no audio files found"), "\($0)")
        }
    }

    /// A damaged `/tracks/tags` (a value other than 0/1, a wrong shape) is one line naming the file.
    func testDamagedTagMatrixIsRejected() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let config = TinyDataset.config()
        for (matrix, shape) in [([UInt8](repeating: 2, count: 18 * 3), [18, 3]), ([UInt8](repeating: 1, count: 17 * 3), [17, 3])] {
            let path = try TinyDataset.write(to: dir.appendingPathComponent("d\(shape[0]).h5").path, data: config.data)
            let file = try H5File.open(path, mode: .readWrite)
            try file.createStringDataset("tags/names", values: ["genre0", "genre1", "genre2"])
            try file.createDataset("tracks/tags", values: matrix, shape: shape)
            file.close()
            XCTAssertThrowsError(try TrainingTracks.load(path: path)) { XCTAssertTrue("\($0)".hasPrefix(path + ": /tracks/tags"), "\($0)") }
        }
    }
}
