import Audio
import Foundation
import HDF5
@testable import MelCNN
import Tensor
import XCTest

/// A synthetic tree in FMA's layout: fma_metadata/tracks.csv with FMA's three header rows
/// and RFC 4180 quoting, and fma_small / fma_medium audio as NNN/NNNNNN.mp3 written by
/// libsndfile (MPEG Layer III through LAME).
enum FMAFixture {
    /// id, subset, split, genre_top, genres_all, title (quoted when it holds , " or a newline).
    static let rows: [(Int, String, String, String, String, String)] = [
        (2, "small", "training", "Hip-Hop", "[21]", "Food"),
        (3, "small", "training", "Hip-Hop", "[21]", "Electric Ave"),
        (5, "small", "validation", "Hip-Hop", "[21]", "This World"),
        (10, "small", "test", "Pop", "[10]", "Freeway, \"live\"\nsecond line"),
        (134, "small", "training", "Pop", "[10]", "Street Music"),
        (140, "small", "training", "Folk", "[17]", "Queen Of The Wires"),
        (141, "small", "test", "Folk", "[17]", "Ohio"),
        (1482, "small", "training", "Rock", "[12, 25]", "empty mp3"),
        (1483, "small", "training", "Rock", "[12]", "corrupt mp3"),
        (148, "small", "training", "", "[12, 21]", "several genres, no genre_top"),
        (20000, "medium", "training", "Rock", "[12]", "Medium only"),
        (20001, "medium", "validation", "Pop", "[10, 76]", "Medium two"),
        (123456, "large", "training", "Rock", "[12]", "Large only, no audio here"),
    ]

    static func csv() -> String {
        func quote(_ s: String) -> String {
            s.contains { $0 == "," || $0 == "\"" || $0 == "\n" } ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        let top = ["", "album", "artist", "set", "set", "track", "track", "track", "track"]
        let sub = ["", "title", "name", "split", "subset", "genre_top", "genres", "genres_all", "title"]
        var lines = [top.joined(separator: ","), sub.joined(separator: ","), "track_id" + String(repeating: ",", count: top.count - 1)]
        for (id, subset, split, genre, all, title) in rows {
            lines.append([String(id), quote("Album, \(id)"), "AWOL", split, subset, genre, quote(all), quote(all), quote(title)]
                .joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Builds the tree under `root`; returns the path of tracks.csv.
    static func build(_ root: URL) throws -> String {
        let metadata = root.appendingPathComponent("fma_metadata")
        try FileManager.default.createDirectory(at: metadata, withIntermediateDirectories: true)
        let csvPath = metadata.appendingPathComponent("tracks.csv").path
        try csv().write(toFile: csvPath, atomically: true, encoding: .utf8)
        for (id, subset, _, _, _, _) in rows where subset != "large" {
            for folder in subset == "small" ? ["fma_small", "fma_medium"] : ["fma_medium"] {
                let path = root.appendingPathComponent(folder).appendingPathComponent(FMAMetadata.audioPath(id: id))
                try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
                switch id {
                case 1482: _ = FileManager.default.createFile(atPath: path.path, contents: Data())
                case 1483:
                    var junk = SeededGenerator(seed: 9)
                    _ = FileManager.default.createFile(atPath: path.path, contents: Data((0 ..< 4000).map { _ in UInt8(truncatingIfNeeded: junk.next()) }))
                default:
                    let f = 110 * Double(1 + id % 7)
                    let tone = (0 ..< 22050).map { Float(0.3 * sin(2 * Double.pi * f * Double($0) / 22050)) }
                    try AudioFile.write(tone, sampleRate: 22050, to: path.path, format: .mp3)
                }
            }
        }
        return csvPath
    }
}

final class FMAMetadataTests: XCTestCase {
    func testAudioPathAndGenreLists() {
        XCTAssertEqual(FMAMetadata.audioPath(id: 2), "000/000002.mp3")
        XCTAssertEqual(FMAMetadata.audioPath(id: 1482), "001/001482.mp3")
        XCTAssertEqual(FMAMetadata.audioPath(id: 123456), "123/123456.mp3")
        XCTAssertEqual(FMAMetadata.genreIDs("[21, 12]"), [21, 12])
        XCTAssertEqual(FMAMetadata.genreIDs(" [ 7 ] "), [7])
        XCTAssertEqual(FMAMetadata.genreIDs("[]"), [])
        for bad in ["", "21", "[21,]", "[a]", "[-1]", "[1 2]", "["] { XCTAssertNil(FMAMetadata.genreIDs(bad), bad) }
    }

    func testReadsTheMultiRowHeaderAndQuotedRecords() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = try FMAFixture.build(dir)
        let tracks = try FMAMetadata.readTracks(csv)
        XCTAssertEqual(tracks.map(\.id), FMAFixture.rows.map(\.0))
        XCTAssertEqual(tracks[3].genreTop, "Pop")
        XCTAssertEqual(tracks[3].split, .test)
        XCTAssertEqual(tracks[4].line, 9) // the title of track 10 spans lines 7 and 8
        XCTAssertEqual(tracks[7].genresAll, "[12, 25]")
        XCTAssertEqual(FMAMetadata.genreIDs(tracks[7].genresAll), [12, 25])
        XCTAssertEqual(tracks.last?.subset, .large)

        let records = CSVRecords.parse("a,\"b,\"\"c\"\"\nd\",\n\"\",e\r\nlast")
        XCTAssertEqual(records.map(\.fields), [["a", "b,\"c\"\nd", ""], ["", "e"], ["last"]])
        XCTAssertEqual(records.map(\.line), [1, 3, 4])
    }

    func testSubsetsAreNestedAndBadFilesSkipped() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = try FMAFixture.build(dir)
        let smallDir = FMAMetadata.defaultAudioDirectory(tracksCSV: csv, subset: .small)
        XCTAssertEqual(smallDir, dir.appendingPathComponent("fma_small").path)
        // libsndfile wrote real MPEG Layer III (its format check passed in AudioFile.write).
        let info = try AudioFile.info(dir.appendingPathComponent("fma_small/000/000002.mp3").path)
        XCTAssertEqual(info.subtype, "MPEG_LAYER_III")
        let small = try FMAMetadata.inputs(tracksCSV: csv, subset: .small, audioDirectory: smallDir)
        XCTAssertEqual(small.files.map(\.path), ["000/000002.mp3", "000/000003.mp3", "000/000005.mp3", "000/000010.mp3",
                                                 "000/000134.mp3", "000/000140.mp3", "000/000141.mp3", "001/001482.mp3",
                                                 "001/001483.mp3"])
        XCTAssertEqual(small.skipped.map(\.path), ["000/000148.mp3"])
        XCTAssertEqual(small.splits["000/000005.mp3"], .validation)
        let medium = try FMAMetadata.inputs(tracksCSV: csv, subset: .medium, audioDirectory: dir.appendingPathComponent("fma_medium").path)
        XCTAssertEqual(medium.files.count, 11)
        let large = try FMAMetadata.inputs(tracksCSV: csv, subset: .large, audioDirectory: dir.appendingPathComponent("fma_medium").path)
        XCTAssertEqual(large.files.count, 11)
        XCTAssertEqual(large.skipped.map(\.reason).last, "audio file missing")

        // prepare --fma: labels from genre_top, FMA's splits, empty and corrupt MP3s skipped and listed.
        var options = PrepareOptions(jobs: 2)
        options.fma = small
        let out = dir.appendingPathComponent("fma.h5").path
        let summary = try DatasetPreparer.prepare(audioDirectory: smallDir, output: out, options: options)
        XCTAssertEqual(summary.classes, ["Folk", "Hip-Hop", "Pop"])
        XCTAssertEqual(summary.tracksPerSplit, [4, 1, 2])
        let file = try H5File.open(out)
        defer { file.close() }
        XCTAssertEqual(try file.openDataset("tracks/path").readStrings(), ["000/000002.mp3", "000/000003.mp3", "000/000005.mp3",
                                                                           "000/000010.mp3", "000/000134.mp3", "000/000140.mp3", "000/000141.mp3"])
        XCTAssertEqual(try file.openDataset("tracks/split").read(as: UInt8.self), [0, 0, 1, 2, 0, 0, 2])
        XCTAssertEqual(try file.openDataset("tracks/label").read(as: Int32.self), [1, 1, 1, 2, 2, 0, 0])
        XCTAssertEqual(try file.openDataset("skipped/path").readStrings(), ["000/000148.mp3", "001/001482.mp3", "001/001483.mp3"])
        XCTAssertEqual(try file.attributes.readString("split"), "fma tracks.csv subset small set.split")
        let frames = try file.openDataset("tracks/frames").read(as: Int32.self)
        XCTAssertTrue(frames.allSatisfy { (43 ... 48).contains($0) }, "\(frames)") // 1 s MP3s (encoder padding)

        // The same through two shards and merge.
        var paths: [String] = []
        for i in 0 ..< 2 {
            var o = options
            o.shard = try PrepareShard(index: i, count: 2)
            paths.append(dir.appendingPathComponent("fma-part\(i).h5").path)
            _ = try DatasetPreparer.prepare(audioDirectory: smallDir, output: paths[i], options: o)
        }
        let merged = dir.appendingPathComponent("fma-merged.h5").path
        _ = try DatasetMerge.merge(parts: paths, output: merged)
        let m = try H5File.open(merged)
        defer { m.close() }
        XCTAssertEqual(try m.openDataset("mels").read(as: Float.self), try file.openDataset("mels").read(as: Float.self))
        XCTAssertEqual(try m.openDataset("tracks/split").read(as: UInt8.self), [0, 0, 1, 2, 0, 0, 2])
        XCTAssertEqual(try m.openDataset("skipped/path").readStrings(), ["000/000148.mp3", "001/001482.mp3", "001/001483.mp3"])
    }

    func testGenresCSV() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("genres.csv").path
        try "genre_id,#tracks,parent,title,top_level\n1,8693,38,Avant-Garde,38\n21,8389,0,Hip-Hop,21\n76,100,12,\"Rock, Experimental\",12\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let genres = try FMAMetadata.readGenres(csv)
        XCTAssertEqual(genres, [1: "Avant-Garde", 21: "Hip-Hop", 76: "Rock, Experimental"])
        XCTAssertEqual(FMAMetadata.genreIDs("[21, 76]")?.compactMap { genres[$0] }, ["Hip-Hop", "Rock, Experimental"])
        try "genre_id,title\n1,A\n1,B\n".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FMAMetadata.readGenres(csv)) { XCTAssertTrue("\($0)".hasSuffix("genres.csv:3: genre_id 1 is listed twice"), "\($0)") }
        try "id,name\n".write(toFile: csv, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try FMAMetadata.readGenres(csv)) { XCTAssertTrue("\($0)".contains("genres.csv:1: expected a header"), "\($0)") }
    }

    func testBadTracksCSVIsOneLine() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("tracks.csv").path
        let good = FMAFixture.csv()
        let cases: [(String, String)] = [
            (good.replacingOccurrences(of: ",subset,", with: ",subsets,"), "tracks.csv:1: no column set.subset"),
            (good.replacingOccurrences(of: "medium", with: "huge"), "set.subset huge is not small, medium or large"),
            (good.replacingOccurrences(of: "validation", with: "valid"), "set.split valid is not training"),
            (good.replacingOccurrences(of: "track_id", with: "id"), "tracks.csv:3: expected the header row track_id"),
            (good.replacingOccurrences(of: "\r\n2,", with: "\r\nx2,"), "tracks.csv:4: track_id x2 is not an integer"),
            (good.replacingOccurrences(of: "\r\n3,", with: "\r\n2,"), "track_id 2 is listed twice"),
            ("a,b\r\n", "expected FMA's three header rows"),
        ]
        for (text, expected) in cases {
            try text.write(toFile: csv, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try FMAMetadata.readTracks(csv)) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
        XCTAssertThrowsError(try FMAMetadata.readTracks(dir.appendingPathComponent("none.csv").path)) {
            XCTAssertTrue("\($0)".hasSuffix("FMA tracks.csv not found"), "\($0)")
        }
    }
}
