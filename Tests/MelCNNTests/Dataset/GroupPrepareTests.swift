import Foundation
import HDF5
@testable import MelCNN
import XCTest

/// `prepare --manifest` with a `group` column: `/tracks/group` written and read back by
/// `CrossValidation.groups`; a file without one (and a set without the column) is its own group.
final class GroupPrepareTests: XCTestCase {
    func testGroupsAreStoredAndReadBack() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("groups.csv").path
        try """
            path,label,group
            blues/blues.00000.wav,blues,album A
            blues/blues.00001.wav,blues,album A
            classical/classical.00000.wav,classical,
            classical/classical.00001.wav,classical,"album, B"
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("g.h5").path
        _ = try DatasetPreparer.prepare(audioDirectory: folder.path, output: out,
                                        options: PrepareOptions(split: .fractions(train: 1, validation: 0, test: 0), manifest: csv, jobs: 2))
        let tracks = try TrainingTracks.load(path: out)
        let groups = try CrossValidation.groups(dataset: out)
        let byPath = Dictionary(uniqueKeysWithValues: zip(tracks.paths, groups))
        XCTAssertEqual(byPath, ["blues/blues.00000.wav": "album A", "blues/blues.00001.wav": "album A",
                                "classical/classical.00000.wav": "classical/classical.00000.wav",
                                "classical/classical.00001.wav": "album, B"])
        // Older files and sets prepared without the column: every track its own group.
        let plain = try DataFixture.prepared()
        let file = try H5File.open(plain)
        XCTAssertFalse(try file.exists("tracks/group"))
        file.close()
        XCTAssertEqual(try CrossValidation.groups(dataset: plain), try TrainingTracks.load(path: plain).paths)
    }

    func testAGroupColumnAloneIsAnError() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("g.csv").path
        try "path,group\nblues/blues.00000.wav,a\n".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AudioDiscovery.taggedManifest(csv, directory: folder.path)) {
            XCTAssertEqual("\($0)", "\(csv):1: the header needs path and a label or tags column, each once")
        }
    }
}
