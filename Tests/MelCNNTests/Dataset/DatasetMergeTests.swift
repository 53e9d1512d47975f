import Foundation
import HDF5
@testable import MelCNN
import Tensor
import XCTest

final class DatasetMergeTests: XCTestCase {
    let options = PrepareOptions(split: .fractions(train: 0.5, validation: 0.25, test: 0.25), jobs: 2, seed: 11)

    /// Writes the N parts of the fixture folder and returns their paths.
    func parts(_ n: Int, in dir: URL, options: PrepareOptions? = nil, name: String = "part") throws -> [String] {
        let folder = try DataFixture.folder().path
        return try (0 ..< n).map { i in
            var o = options ?? self.options
            o.shard = try PrepareShard(index: i, count: n)
            let path = dir.appendingPathComponent("\(name)\(i)of\(n).h5").path
            let summary = try DatasetPreparer.prepare(audioDirectory: folder, output: path, options: o)
            XCTAssertEqual(summary.shard, o.shard)
            XCTAssertTrue(summary.line.hasPrefix("prepared part \(i)/\(n): "), summary.line)
            return path
        }
    }

    func testMergeOfTwoThreeAndFifteenPartsEqualsOnePrepare() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let single = dir.appendingPathComponent("single.h5").path
        let one = try DatasetPreparer.prepare(audioDirectory: try DataFixture.folder().path, output: single, options: options)
        // 14 inputs (12 clips, a corrupt and an empty file): with 15 parts, part 14 has none.
        for n in [2, 3, 15] {
            let paths = try parts(n, in: dir)
            if n == 15 {
                let empty = try H5File.open(paths[14])
                XCTAssertEqual(try empty.openDataset("tracks/path").readStrings(), [])
                XCTAssertEqual(try empty.openDataset("mels").shape, [0, 128])
                empty.close()
            }
            let merged = dir.appendingPathComponent("merged\(n).h5").path
            let summary = try DatasetMerge.merge(parts: paths.reversed(), output: merged)
            XCTAssertEqual(summary.tracksPerSplit, one.tracksPerSplit)
            XCTAssertEqual(summary.frames, one.frames)
            XCTAssertEqual(summary.skipped.map(\.path), one.skipped.map(\.path))
            try assertSameDataset(merged, single, "\(n) parts")
        }
    }

    func testMergeWithSplitFilesEqualsOnePrepare() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        func list(_ name: String, _ clips: [String], extra: [String] = []) throws -> String {
            let path = dir.appendingPathComponent(name).path
            let lines = DataFixture.genres.flatMap { g in clips.map { "\(g)/\(g).\($0).wav" } } + extra
            try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        var o = options
        o.split = .files(train: try list("train.txt", ["00000", "00001"], extra: ["blues/corrupt.wav"]),
                         validation: try list("valid.txt", ["00002"]),
                         test: try list("test.txt", ["00003"], extra: ["country/empty.wav"]))
        let single = dir.appendingPathComponent("single.h5").path
        let one = try DatasetPreparer.prepare(audioDirectory: try DataFixture.folder().path, output: single, options: o)
        XCTAssertEqual(one.tracksPerSplit, [6, 3, 3])
        let merged = dir.appendingPathComponent("merged.h5").path
        _ = try DatasetMerge.merge(parts: try parts(3, in: dir, options: o), output: merged)
        try assertSameDataset(merged, single, "split files, 3 parts")
    }

    /// Every dataset and attribute of `a` equals `b`'s: bit for bit except the statistics
    /// (merged with Chan's formula: within 1e-6 relative).
    func assertSameDataset(_ a: String, _ b: String, _ what: String, classes: [String] = DataFixture.genres) throws {
        let x = try H5File.open(a), y = try H5File.open(b)
        defer { x.close(); y.close() }
        let xm: [Float] = try x.openDataset("mels").read(), ym: [Float] = try y.openDataset("mels").read()
        XCTAssertEqual(try x.openDataset("mels").shape, try y.openDataset("mels").shape, what)
        XCTAssertTrue(xm.elementsEqual(ym) { $0.bitPattern == $1.bitPattern }, "\(what): /mels differ")
        for name in ["classes", "tracks/path", "skipped/path", "skipped/reason"] {
            XCTAssertEqual(try x.openDataset(name).readStrings(), try y.openDataset(name).readStrings(), "\(what): \(name)")
        }
        XCTAssertEqual(try x.openDataset("tracks/label").read(as: Int32.self), try y.openDataset("tracks/label").read(as: Int32.self), what)
        XCTAssertEqual(try x.openDataset("tracks/split").read(as: UInt8.self), try y.openDataset("tracks/split").read(as: UInt8.self), what)
        XCTAssertEqual(try x.openDataset("tracks/offset").read(as: Int64.self), try y.openDataset("tracks/offset").read(as: Int64.self), what)
        XCTAssertEqual(try x.openDataset("tracks/frames").read(as: Int32.self), try y.openDataset("tracks/frames").read(as: Int32.self), what)
        for name in ["stats/mean", "stats/std"] {
            let p: [Float] = try x.openDataset(name).read(), q: [Float] = try y.openDataset(name).read()
            XCTAssertEqual(p.count, q.count)
            for (u, v) in zip(p, q) { XCTAssertLessThanOrEqual(abs(u - v), 1e-6 * abs(v), "\(what): \(name)") }
        }
        XCTAssertEqual(try x.attributes.names().sorted(), try y.attributes.names().sorted(), what)
        for name in try y.attributes.names() where name != "creator" {
            XCTAssertEqual(try x.attributes.value(name), try y.attributes.value(name), "\(what): @\(name)")
        }
        XCTAssertEqual(try x.exists("tracks/tags"), try y.exists("tracks/tags"), what)
        if try y.exists("tracks/tags") {
            XCTAssertEqual(try x.openDataset("tags/names").readStrings(), try y.openDataset("tags/names").readStrings(), what)
            XCTAssertEqual(try x.openDataset("tracks/tags").shape, try y.openDataset("tracks/tags").shape, what)
            XCTAssertEqual(try x.openDataset("tracks/tags").read(as: UInt8.self), try y.openDataset("tracks/tags").read(as: UInt8.self), what)
        }
        let tracks = try TrainingTracks.load(path: a)
        XCTAssertEqual(tracks.classes, classes)
    }

    /// A tagged manifest (a failing input with a tag of its own) in 2, 5 and 13 parts (one empty)
    /// merges to the version-2 set of one `prepare`: tags, labels (first tag), splits, dropped-tag warning.
    func testTaggedManifestInPartsEqualsOnePrepare() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        var lines = ["path,tags", "blues/corrupt.wav,broken;slow"]
        let moods = ["dark", "bright", "slow", "fast"]
        for (g, genre) in DataFixture.genres.enumerated() {
            for c in 0 ..< 4 { lines.append("\(genre)/\(genre).0000\(c).wav,\(moods[(g + c) % 4]);\(moods[(g * c + 1) % 4]);\(genre)") }
        }
        let csv = dir.appendingPathComponent("tags.csv").path
        try lines.joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        var o = options
        o.manifest = csv
        let single = dir.appendingPathComponent("single.h5").path
        var warnings: [String] = []
        let one = try DatasetPreparer.prepare(audioDirectory: try DataFixture.folder().path, output: single, options: o) {
            if case let .warning(text) = $0 { warnings.append(text) }
        }
        let tags = ["blues", "bright", "classical", "country", "dark", "fast", "slow"]
        XCTAssertEqual(one.classes, tags)
        XCTAssertEqual(warnings, ["tag broken dropped: none of its files could be used (see the skipped files)"])
        for n in [2, 5, 13] {
            let paths = try parts(n, in: dir, options: o, name: "tagged")
            let merged = dir.appendingPathComponent("tagged-merged\(n).h5").path
            var mergeWarnings: [String] = []
            let summary = try DatasetMerge.merge(parts: paths.reversed(), output: merged) {
                if case let .warning(text) = $0 { mergeWarnings.append(text) }
            }
            XCTAssertTrue(summary.tagged)
            XCTAssertEqual(summary.classes, tags)
            XCTAssertEqual(summary.tracksPerSplit, one.tracksPerSplit)
            XCTAssertEqual(mergeWarnings, warnings, "\(n) parts")
            try assertSameDataset(merged, single, "tagged, \(n) parts", classes: tags)
            XCTAssertTrue(try TrainingTracks.load(path: merged).isTagged)
        }
        // A tagged part with its tag matrix removed, or mixed with an untagged run, is refused.
        let two = try parts(2, in: dir, options: o, name: "tagged-damaged")
        let file = try H5File.open(two[0], mode: .readWrite)
        try file.remove("tracks/tags")
        file.close()
        let out = dir.appendingPathComponent("out.h5").path
        XCTAssertThrowsError(try DatasetMerge.merge(parts: two, output: out)) { XCTAssertTrue("\($0)".contains("/tracks/tags"), "\($0)") }
        let plain = try parts(2, in: dir)
        XCTAssertThrowsError(try DatasetMerge.merge(parts: [plain[0], try parts(2, in: dir, options: o, name: "tagged-b")[1]], output: out)) {
            XCTAssertTrue("\($0)".contains("the parts come from different prepare runs"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testChanMergeEqualsOnePass() {
        var rng = SeededGenerator(seed: 5)
        var values: [Double] = []
        for _ in 0 ..< 300 { values.append(Double(rng.next() % 10_000) / 100 - 50) }
        func moments(_ x: ArraySlice<Double>) -> (mean: Double, m2: Double) {
            var sum = 0.0
            for v in x { sum += v }
            let mean = sum / Double(x.count)
            var m2 = 0.0
            for v in x { m2 += (v - mean) * (v - mean) }
            return (mean, m2)
        }
        var acc = MomentAccumulator(bins: 1)
        for range in [0 ..< 1, 1 ..< 120, 120 ..< 120, 120 ..< 300] {
            if range.isEmpty { acc.add(count: 0, mean: [0], m2: [0]); continue }
            let m = moments(values[range])
            acc.add(count: range.count, mean: [m.mean], m2: [m.m2])
        }
        let all = moments(values[...])
        let std: Double = (all.m2 / 300).squareRoot()
        XCTAssertEqual(acc.count, 300)
        XCTAssertEqual(acc.mean[0], all.mean, accuracy: 1e-12 * Swift.abs(all.mean) + 1e-12)
        XCTAssertEqual(acc.std[0], std, accuracy: 1e-12 * std)
    }

    func testMismatchedPartsAreRefusedWithOneLine() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let two = try parts(2, in: dir)
        var small = options
        small.data.logMel.nMels = 64
        let two64 = try parts(2, in: dir, options: small, name: "mels64-")
        var seeded = options
        seeded.seed = 12
        let twoSeed = try parts(2, in: dir, options: seeded, name: "seed12-")
        let three = try parts(3, in: dir)
        let out = dir.appendingPathComponent("out.h5").path
        func refused(_ parts: [String], _ expected: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try DatasetMerge.merge(parts: parts, output: out), file: file, line: line) { error in
                let text = "\(error)"
                XCTAssertTrue(text.contains(expected), text, file: file, line: line)
                XCTAssertFalse(text.contains("\n"), text, file: file, line: line)
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out), file: file, line: line)
        }
        refused([two[0], two64[1]], "attribute n_mels")
        refused([two[0], twoSeed[1]], "attribute seed")
        refused([two[0], three[1]], "attribute shard_count")
        refused([two[0]], "pass all 2")
        refused([two[0], two[0]], "are both part 0/2")
        refused([three[0], three[2], three[2]], "are both part 2/3")
        refused([], "no part files")
        refused([two[0], dir.appendingPathComponent("nothing.h5").path], "part file not found")
        let single = dir.appendingPathComponent("single.h5").path
        _ = try DatasetPreparer.prepare(audioDirectory: try DataFixture.folder().path, output: single, options: options)
        refused([two[0], single], "not a part of a sharded prepare (format melcnn-dataset)")
        refused([two[0], two[1], two[1]], "but 3 were given")
        for (index, count) in [(2, 2), (-1, 2), (1, 0)] {
            XCTAssertThrowsError(try PrepareShard(index: index, count: count)) {
                XCTAssertEqual(($0 as? ParameterError)?.parameter, "shard", "\($0)")
            }
        }
        XCTAssertEqual(try PrepareShard(index: 1, count: 3).description, "1/3")
    }

    /// Values read from a part are checked before they index /mels or the input list.
    func testDamagedPartIsOneLine() throws {
        let dir = try DataFixture.temporaryDirectory(self)
        let out = dir.appendingPathComponent("out.h5").path
        let damages: [(String, (H5File) throws -> Void, String)] = [
            ("offset", { try $0.openDataset("tracks/offset").write([Int64](repeating: 1 << 40, count: 6)) }, "outside /mels"),
            ("input", { try $0.openDataset("tracks/input").write([Int64](repeating: 1, count: 6)) }, "is not an input of part 0/2"),
            ("frames", { try $0.openDataset("tracks/frames").write([Int32](repeating: -5, count: 6)) }, "outside /mels"),
            ("skipped", { try $0.openDataset("skipped/input").write([Int64](repeating: 99, count: 1)) }, "bad input indices"),
            ("moments", { try $0.remove("tracks/m2") }, "tracks/m2"),
        ]
        for (name, damage, expected) in damages {
            let two = try parts(2, in: dir, name: "damaged-\(name)-")
            let file = try H5File.open(two[0], mode: .readWrite)
            XCTAssertEqual(try file.openDataset("tracks/path").readStrings().count, 6)
            try damage(file)
            file.close()
            XCTAssertThrowsError(try DatasetMerge.merge(parts: two, output: out), name) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(name): \(error)")
                XCTAssertTrue("\(error)".contains(two[0]), "\(name): \(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
            XCTAssertFalse(FileManager.default.fileExists(atPath: out))
        }
    }
}
