import Foundation
import XCTest

/// Bad input to `melcnn spectrogram`, `info` and `melcnn-bench dsp`: exit status 1, one line on
/// stderr naming the flag or file, no trap, nothing left under the output name.
final class SpectrogramRobustnessTests: XCTestCase {
    var dir: URL!
    var wav: String!

    override func setUpWithError() throws {
        dir = try CLIRunner.temporaryDirectory(self)
        wav = dir.appendingPathComponent("tone.wav").path
        try Self.writeToneWAV(wav, samples: 11025)
    }

    static func writeToneWAV(_ path: String, samples: Int) throws {
        try ToneWAV.write(path, samples: samples, frequency: 440, amplitude: 8000)
    }

    @discardableResult
    func expectUserError(_ args: [String], mentioning needle: String, tool: URL = CLIRunner.executable,
                         file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let message = try CLIRunner.expectUserError(args, mentioning: needle, tool: tool, file: file, line: line)
        XCTAssertFalse(message.contains("Fatal error"), message, file: file, line: line)
        return message
    }

    func testHugeTuningOrTinyFminIsAFlagErrorNotATrap() throws {
        let out = dir.appendingPathComponent("c.h5").path
        try expectUserError(["spectrogram", wav, "--kind", "cqt", "--tuning", "1e9", "--out", out], mentioning: "--tuning")
        try expectUserError(["spectrogram", wav, "--kind", "cqt", "--tuning=-1e9", "--out", out], mentioning: "--tuning")
        try expectUserError(["spectrogram", wav, "--kind", "cqt", "--fmin", "1e-9", "--out", out], mentioning: "--fmin")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }

    func testTinyFFTWithoutHopNamesNFFT() throws {
        let out = dir.appendingPathComponent("m.h5").path
        try expectUserError(["spectrogram", wav, "--kind", "mel", "--n-fft", "2", "--out", out], mentioning: "--n-fft")
        try expectUserError(["spectrogram", wav, "--kind", "mel", "--sr", "100000000", "--out", out], mentioning: "--sr")
    }

    func testUnwritableOutputsNameTheOutputAndFailBeforeComputing() throws {
        for out in ["/proc/melcnn-x.h5", "/proc/melcnn-x.csv"] {
            let message = try expectUserError(["spectrogram", wav, "--kind", "mel", "--out", out], mentioning: out)
            XCTAssertFalse(message.contains(".tmp"), message)
        }
        let folder = dir.appendingPathComponent("taken.h5").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try expectUserError(["spectrogram", wav, "--kind", "mel", "--out", folder], mentioning: "is a directory")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted(), ["taken.h5", "tone.wav"])
    }

    func testInfoOnADirectoryNamedLikeHDF5IsOneLine() throws {
        let folder = dir.appendingPathComponent("folder.h5").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        try expectUserError(["info", folder], mentioning: "\(folder): is a directory")
    }

    func testBenchDSPOnAShortClipIsAUserError() throws {
        let short = dir.appendingPathComponent("short.wav").path
        try Self.writeToneWAV(short, samples: 100)
        try expectUserError(["dsp", "--clip", short, "--runs", "1"], mentioning: short, tool: CLIRunner.benchExecutable)
        try expectUserError(["dsp", "--clip", wav, "--runs", "0"], mentioning: "--runs", tool: CLIRunner.benchExecutable)
    }
}

extension SpectrogramRobustnessTests {
    /// Band counts that would need tens of gigabytes are flag errors, not allocation traps.
    func testHugeMelCountsAreFlagErrors() throws {
        let out = dir.appendingPathComponent("m.h5").path
        try expectUserError(["spectrogram", wav, "--kind", "mel", "--n-mels", "10000000", "--out", out], mentioning: "--n-mels")
        try expectUserError(["spectrogram", wav, "--kind", "mfcc", "--n-mels", "100000", "--n-mfcc", "100000", "--out", out],
                            mentioning: "--n-mels")
        try expectUserError(["spectrogram", wav, "--kind", "mel", "--n-mels", "8192", "--n-fft", "1048576", "--out", out],
                            mentioning: "--n-mels")
        try expectUserError(["spectrogram", wav, "--kind", "cqt", "--n-bins", "1000000", "--bins-per-octave", "1000000", "--out", out],
                            mentioning: "--fmin")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

extension SpectrogramRobustnessTests {
    func testOutputThatIsTheInputIsRefused() throws {
        let csvNamedAudio = dir.appendingPathComponent("tone.csv").path
        try FileManager.default.copyItem(atPath: wav, toPath: csvNamedAudio)
        let before = try Data(contentsOf: URL(fileURLWithPath: csvNamedAudio))
        try expectUserError(["spectrogram", csvNamedAudio, "--kind", "mel", "--out", csvNamedAudio], mentioning: "--out")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: csvNamedAudio)), before)
    }
}

extension SpectrogramRobustnessTests {
    /// A named pipe would block an open() for ever; devices never end.
    func testPipesAndDevicesAreRefusedWithoutBlocking() throws {
        for name in ["pipe.wav", "pipe.h5", "pipe.bin"] {
            let fifo = dir.appendingPathComponent(name).path
            XCTAssertEqual(mkfifo(fifo, 0o644), 0)
            try expectUserError(["info", fifo], mentioning: "not a regular file")
        }
        try expectUserError(["spectrogram", "/dev/zero", "--kind", "mel", "--out", dir.appendingPathComponent("z.h5").path],
                            mentioning: "not a regular file")
    }
}

extension SpectrogramRobustnessTests {
    func testBenchAudioFolderThatCannotBeMadeIsOneLine() throws {
        try expectUserError(["audio", "--dir", "/proc/melcnn-bench", "--runs", "1"], mentioning: "--dir /proc/melcnn-bench",
                            tool: CLIRunner.benchExecutable)
    }
}

extension SpectrogramRobustnessTests {
    /// Spectral contrast bands without FFT bins, or above Nyquist, are parameter errors (librosa's ParameterError).
    func testContrastWithTooFewBinsOrTooLowARateNamesTheFlag() throws {
        let out = dir.appendingPathComponent("c.h5").path
        try expectUserError(["spectrogram", wav, "--kind", "contrast", "--n-fft", "16", "--out", out], mentioning: "--n-fft")
        try expectUserError(["spectrogram", wav, "--kind", "contrast", "--sr", "100", "--out", out], mentioning: "--sr")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

extension SpectrogramRobustnessTests {
    func testBenchFeaturesUnknownOnlyIsAnError() throws {
        try expectUserError(["features", "--clip", wav, "--runs", "1", "--only", "nope"], mentioning: "--only nope",
                            tool: CLIRunner.benchExecutable)
    }
}
