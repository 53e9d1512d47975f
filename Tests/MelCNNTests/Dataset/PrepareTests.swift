import Audio
import DSP
import Foundation
import HDF5
@testable import MelCNN
import XCTest

final class PrepareTests: XCTestCase {
    func testIndexSplitsStatsAndSkipped() throws {
        let path = try DataFixture.prepared()
        let file = try H5File.open(path)
        defer { file.close() }
        XCTAssertEqual(try file.attributes.readString("format"), "melcnn-dataset")
        XCTAssertEqual(try file.attributes.read("version", as: Int.self), 1)
        XCTAssertEqual(try file.attributes.read("n_mels", as: Int.self), 128)
        XCTAssertEqual(try file.attributes.read("fmax", as: Double.self), 11025)
        XCTAssertEqual(try file.openDataset("classes").readStrings(), DataFixture.genres)
        let paths = try file.openDataset("tracks/path").readStrings()
        XCTAssertEqual(paths.count, 12)
        XCTAssertEqual(paths.first, "blues/blues.00000.wav")
        XCTAssertFalse(paths.contains("blues/corrupt.wav"))
        let labels: [Int32] = try file.openDataset("tracks/label").read()
        XCTAssertEqual(labels, [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2])
        let frames: [Int32] = try file.openDataset("tracks/frames").read()
        XCTAssertEqual(frames, [Int32](repeating: 44, count: 12)) // 1 + 22050 / 512 centred frames
        let offsets: [Int64] = try file.openDataset("tracks/offset").read()
        XCTAssertEqual(offsets, (0 ..< 12).map { Int64($0 * 44) })
        let splits: [UInt8] = try file.openDataset("tracks/split").read()
        for c in 0 ..< 3 { // stratified: 2 train, 1 validation, 1 test per class
            let s = splits[(c * 4) ..< (c * 4 + 4)].sorted()
            XCTAssertEqual(s, [0, 0, 1, 2])
        }
        let mels = try file.openDataset("mels")
        XCTAssertEqual(try mels.shape, [12 * 44, 128])
        XCTAssertEqual(try mels.chunkShape?.last, 128)
        XCTAssertTrue(try mels.filters.contains { $0.hasPrefix("gzip") })

        // The stored log-mel of a track is the DSP core's.
        let folder = try DataFixture.folder()
        let signal = try AudioFile.load(folder.appendingPathComponent(paths[5]).path)
        let expected = try MelSpectrogramExtractor().logMelSpectrogram(signal.samples)
        let stored: [Float] = try mels.readRows(Int(offsets[5]) ..< Int(offsets[5]) + 44)
        XCTAssertEqual(stored, expected.data)

        // Statistics over the training split only.
        var sum = [Double](repeating: 0, count: 128), sq = sum
        var n = 0
        for t in 0 ..< 12 where splits[t] == 0 {
            let rows: [Float] = try mels.readRows(Int(offsets[t]) ..< Int(offsets[t]) + 44)
            for f in 0 ..< 44 { for b in 0 ..< 128 { let x = Double(rows[f * 128 + b]); sum[b] += x; sq[b] += x * x } }
            n += 44
        }
        let mean: [Float] = try file.openDataset("stats/mean").read()
        let std: [Float] = try file.openDataset("stats/std").read()
        for b in 0 ..< 128 {
            let m = sum[b] / Double(n)
            XCTAssertEqual(Double(mean[b]), m, accuracy: 1e-3)
            XCTAssertEqual(Double(std[b]), (sq[b] / Double(n) - m * m).squareRoot(), accuracy: 1e-3)
        }

        let skipped = try file.openDataset("skipped/path").readStrings()
        let reasons = try file.openDataset("skipped/reason").readStrings()
        XCTAssertEqual(skipped, ["blues/corrupt.wav", "country/empty.wav"])
        XCTAssertEqual(reasons.count, 2)
        XCTAssertTrue(reasons.allSatisfy { !$0.isEmpty })
    }

    func testSplitIsSeededAndDeterministic() {
        let labels = (0 ..< 40).map { $0 % 4 }
        let a = DatasetPreparer.stratifiedSplit(labels: labels, classCount: 4, train: 0.8, validation: 0.1, seed: 1)
        let b = DatasetPreparer.stratifiedSplit(labels: labels, classCount: 4, train: 0.8, validation: 0.1, seed: 1)
        let c = DatasetPreparer.stratifiedSplit(labels: labels, classCount: 4, train: 0.8, validation: 0.1, seed: 2)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        for k in 0 ..< 4 {
            let s = labels.indices.filter { labels[$0] == k }.map { a[$0] }
            XCTAssertEqual(s.filter { $0 == .train }.count, 8)
            XCTAssertEqual(s.filter { $0 == .validation }.count, 1)
        }
    }

    func testSplitFilesAreHonoured() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        func list(_ name: String, _ lines: [String]) throws -> String {
            let p = dir.appendingPathComponent(name).path
            try (lines.joined(separator: "\n") + "\n").write(toFile: p, atomically: true, encoding: .utf8)
            return p
        }
        let train = try list("train.txt", ["blues/blues.00000.wav", "classical/classical.00001.wav", "country/country.00002.wav"])
        let valid = try list("valid.txt", ["# comment", "blues/blues.00001.wav"])
        let test = try list("test.txt", ["./country/country.00003.wav"])
        let out = dir.appendingPathComponent("split.h5").path
        let summary = try DatasetPreparer.prepare(audioDirectory: folder.path, output: out,
                                                  options: PrepareOptions(split: .files(train: train, validation: valid, test: test), jobs: 1))
        XCTAssertEqual(summary.tracksPerSplit, [3, 1, 1])
        let file = try H5File.open(out)
        defer { file.close() }
        let paths = try file.openDataset("tracks/path").readStrings()
        let splits: [UInt8] = try file.openDataset("tracks/split").read()
        XCTAssertEqual(Dictionary(uniqueKeysWithValues: zip(paths, splits)),
                       ["blues/blues.00000.wav": 0, "blues/blues.00001.wav": 1, "classical/classical.00001.wav": 0,
                        "country/country.00002.wav": 0, "country/country.00003.wav": 2])

        let bad = try list("bad.txt", ["blues/blues.00000.wav", "blues/blues.00099.wav"])
        XCTAssertThrowsError(try DatasetPreparer.prepare(audioDirectory: folder.path, output: dir.appendingPathComponent("x.h5").path,
                                                         options: PrepareOptions(split: .files(train: bad, validation: valid, test: test)))) {
            XCTAssertEqual("\($0)", "\(bad):2: blues/blues.00099.wav does not exist")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.appendingPathComponent("x.h5").path))
    }

    func testManifestLabels() throws {
        let folder = try DataFixture.folder()
        let dir = try DataFixture.temporaryDirectory(self)
        let csv = dir.appendingPathComponent("labels.csv").path
        try "path,label\nblues/blues.00000.wav,slow\n\"classical/classical.00000.wav\",slow\ncountry/country.00000.wav,fast\ncountry/country.00001.wav,fast\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("m.h5").path
        let summary = try DatasetPreparer.prepare(audioDirectory: folder.path, output: out,
                                                  options: PrepareOptions(split: .fractions(train: 0.5, validation: 0, test: 0.5), manifest: csv, jobs: 2))
        XCTAssertEqual(summary.classes, ["fast", "slow"])
        XCTAssertEqual(summary.tracks, 4)
    }

    func testBadOptionsNameTheParameter() throws {
        XCTAssertThrowsError(try SplitSpec.stratified(train: 0.8, validation: 0.3, test: 0.1)) {
            XCTAssertTrue("\($0)".hasPrefix("split: expected three fractions"), "\($0)")
        }
        XCTAssertEqual(try SplitSpec.stratified(train: 0.8, validation: 0.2, test: 0), .fractions(train: 0.8, validation: 0.2, test: 0))
        XCTAssertThrowsError(try DatasetPreparer.prepare(audioDirectory: "/nonexistent/audio", output: "/tmp/never.h5")) {
            XCTAssertEqual("\($0)", "/nonexistent/audio: audio folder not found")
        }
    }

    func testH5dumpReadsTheFile() throws {
        let h5dump = ["/usr/bin/h5dump", "/usr/local/bin/h5dump"].first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let h5dump else { throw XCTSkip("h5dump not installed") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: h5dump)
        process.arguments = ["-d", "/tracks/frames", try DataFixture.prepared()]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertTrue(text.contains("44, 44"))
    }
}
