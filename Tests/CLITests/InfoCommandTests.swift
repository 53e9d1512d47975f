import Audio
import Foundation
import HDF5
import XCTest

/// `melcnn info` on generated audio and HDF5 files, and on bad files.
final class InfoCommandTests: XCTestCase {
    private func writeStereoWAV(_ dir: URL) throws -> String {
        let path = dir.appendingPathComponent("tone.wav").path
        // 0.5 s at 16 kHz, left a 0.5-amplitude sine, right silent: peak 0.5, RMS 0.25.
        let n = 8000
        var interleaved = [Float](repeating: 0, count: 2 * n)
        for i in 0 ..< n { interleaved[2 * i] = Float(0.5 * sin(2 * Double.pi * 1000 * Double(i) / 16000)) }
        try AudioFile.write(interleaved, sampleRate: 16000, channels: 2, to: path, format: .wav24)
        return path
    }

    func testInfoOnWAV() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let path = try writeStereoWAV(dir)
        let result = try CLIRunner.run(["info", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertEqual(result.stderr, "")
        let out = result.stdout
        XCTAssertTrue(out.hasPrefix(path + "\n"), out)
        for expected in ["format:      WAV [WAV (Microsoft)]", "subtype:     PCM_24 [Signed 24 bit PCM]", "sample rate: 16000 Hz", "channels:    2",
                         "duration:    0.500 s", "frames:      8000", "peak:        0.5000", "(-6.02 dBFS)",
                         "RMS:         0.2500", "(-12.04 dBFS)"] {
            XCTAssertTrue(out.contains(expected), "missing '\(expected)' in:\n\(out)")
        }
        let headerOnly = try CLIRunner.run(["info", "--no-levels", path])
        XCTAssertEqual(headerOnly.status, 0)
        XCTAssertTrue(headerOnly.stdout.contains("frames:      8000"))
        XCTAssertFalse(headerOnly.stdout.contains("peak"))
    }

    func testInfoOnHDF5() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let path = dir.appendingPathComponent("data.h5").path
        try H5File.createAtomically(path) { file in
            try file.attributes.write("format", "melcnn-dataset")
            try file.attributes.write("sample_rate", Int32(22050))
            _ = try file.createDataset("mels", values: [Float](repeating: 0.5, count: 12 * 4), shape: [12, 4])
            let tracks = try file.createGroup("tracks")
            _ = try tracks.createDataset("label", values: [Int32(0), 1, 2], shape: [3])
        }
        let result = try CLIRunner.run(["info", path])
        XCTAssertEqual(result.status, 0, result.stderr)
        for expected in ["(HDF5)", "@format = \"melcnn-dataset\"", "@sample_rate = 22050", "/mels  float32 [12, 4]",
                         "/tracks  group", "/tracks/label  int32 [3]"] {
            XCTAssertTrue(result.stdout.contains(expected), "missing '\(expected)' in:\n\(result.stdout)")
        }
    }

    /// Bad files: one line each on stderr naming the file, the good file still described, exit 1.
    func testBadFilesExitOneAndContinue() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let good = try writeStereoWAV(dir)
        let random = dir.appendingPathComponent("noise.wav").path
        try Data((0 ..< 3000).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) }).write(to: URL(fileURLWithPath: random))
        let brokenH5 = dir.appendingPathComponent("broken.h5").path
        try Data("not really hdf5".utf8).write(to: URL(fileURLWithPath: brokenH5))
        let missing = dir.appendingPathComponent("missing.flac").path
        let result = try CLIRunner.run(["info", random, good, brokenH5, missing])
        XCTAssertEqual(result.status, 1)
        XCTAssertTrue(result.stdout.contains("frames:      8000"), result.stdout)
        let lines = result.stderr.split(separator: "\n")
        XCTAssertEqual(lines.count, 3, result.stderr)
        for (line, path) in zip(lines, [random, brokenH5, missing]) {
            XCTAssertTrue(line.contains(path), "'\(line)' does not name \(path)")
        }
        XCTAssertFalse(result.stderr.contains("Fatal error"))
    }

    func testBenchWritesSampleForDemo() throws {
        let dir = try CLIRunner.temporaryDirectory(self)
        let path = dir.appendingPathComponent("sample.wav").path
        let result = try CLIRunner.run(["audio", "--write-sample", path], tool: CLIRunner.benchExecutable)
        XCTAssertEqual(result.status, 0, result.stderr)
        let info = try AudioFile.info(path)
        XCTAssertEqual(info.sampleRate, 22050)
        XCTAssertEqual(info.frames, 3 * 22050)
    }

    /// `bench` is its own executable (`melcnn-bench`), not a `melcnn` subcommand.
    func testBenchIsNotAMelCNNSubcommand() throws {
        let result = try CLIRunner.run(["bench", "audio", "--write-sample", "/dev/null"])
        XCTAssertEqual(result.status, 1, result.stderr)
        XCTAssertFalse(try CLIRunner.run(["--help"]).stdout.contains("bench"))
    }

    func testCPUReportNamesTheRoutesAndTheConvolutionAlgorithm() throws {
        var result = try CLIRunner.run(["info", "--cpu"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("conv1d: winograd (transforms "), result.stdout)
        result = try CLIRunner.run(["info", "--cpu"], environment: ["MELCNN_CONV": "im2col", "MELCNN_CPU": "generic"])
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("conv1d: im2col"), result.stdout)
        XCTAssertTrue(result.stdout.contains("level: generic in use"), result.stdout)
        XCTAssertTrue(result.stdout.contains("median filters (hpss): generic"), result.stdout)
        XCTAssertTrue(result.stdout.contains("allocator: glibc, blocks up to 32 MB from the heap"), result.stdout)
        result = try CLIRunner.run(["info", "--cpu"], environment: ["MALLOC_TRIM_THRESHOLD_": "1000000"])
        XCTAssertTrue(result.stdout.contains("allocator: as the C library is configured"), result.stdout)
    }

    func testUnknownEnvironmentValuesAreOneLineErrors() throws {
        for (name, value, words) in [("MELCNN_CONV", "fft", "names no convolution algorithm"),
                                     ("MELCNN_CPU", "avx9", "names no CPU level")] {
            let result = try CLIRunner.run(["info", "--cpu"], environment: [name: value])
            XCTAssertEqual(result.status, 1, name)
            XCTAssertEqual(result.stderr.split(separator: "\n").count, 1, result.stderr)
            XCTAssertTrue(result.stderr.contains("\(name)=\(value) \(words)"), result.stderr)
        }
    }
}
