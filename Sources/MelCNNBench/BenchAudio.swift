import ArgumentParser
import Audio
import Foundation
import Tensor
import ToolSupport

/// `melcnn-bench audio`: decoding and resampling speed, the peer being `librosa.load`
/// (Benchmarks/audio/peer.py prints the same benchmark names).
struct BenchAudio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Benchmark audio decoding and resampling (melcnn's side of `make bench`).",
        discussion: """
            Writes two 30 s test files into --dir (if missing): a 22050 Hz mono and a 44100 Hz \
            stereo 16-bit WAV of tones and noise. Then times, as the median of --runs runs \
            after one warm-up, one thread (wall time as `ms`, process CPU time as `cpu_ms`):
              load_22050_mono            AudioFile.load(sampleRate: 22050), no resampling
              load_44100_stereo_native   AudioFile.load(sampleRate: nil, mono: false), decode only
              load_44100_stereo_to_22050 AudioFile.load() (downmix + soxr_hq to 22050 Hz)
            Prints one JSON line per benchmark on stdout.
            With --write-sample PATH it only writes a short demo WAV (a 3 s chord at 22050 Hz).

            Example: melcnn-bench audio --dir bench-output/audio --runs 9
            """
    )

    @Option(parsing: .unconditional, help: "Folder for the generated test WAV files.")
    var dir = "bench-output/audio"

    @Option(parsing: .unconditional, help: "Timed runs per benchmark (the median is reported).")
    var runs = 7

    @Option(name: .customLong("write-sample"), parsing: .unconditional, help: ArgumentHelp("Only write a 3 s 22050 Hz demo WAV to this path and exit.", valueName: "path"))
    var writeSample: String?

    func run() throws {
        if let writeSample {
            try AudioFile.write(BenchAudio.testSignal(sampleRate: 22050, channels: 1, seconds: 3), sampleRate: 22050,
                                to: writeSample)
            Console.error("wrote \(writeSample) (3 s, 22050 Hz, mono, 16-bit PCM)")
            return
        }
        guard runs >= 1 else { throw BenchError.invalidRuns(runs) }
        do { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) } catch {
            throw BenchError.cannotCreate(dir)
        }
        let mono = try BenchAudio.ensureFile(dir: dir, sampleRate: 22050, channels: 1)
        let stereo = try BenchAudio.ensureFile(dir: dir, sampleRate: 44100, channels: 2)
        let cases: [(String, () throws -> Int)] = [
            ("load_22050_mono", { try AudioFile.load(mono).frameCount }),
            ("load_44100_stereo_native", { try AudioFile.load(stereo, sampleRate: nil, mono: false).frameCount }),
            ("load_44100_stereo_to_22050", { try AudioFile.load(stereo).frameCount }),
        ]
        for (name, body) in cases {
            var frames = 0
            let wall = try BenchTiming.medianMs(runs: runs) { frames = try body() }
            let cpu = try BenchTiming.medianCPUMs(runs: runs, warmup: 0) { frames = try body() }
            BenchTiming.emit(name, ms: wall, extra: ["frames": Double(frames), "cpu_ms": cpu])
        }
    }

    /// `bench-audio-<rate>-<mono|stereo>-30s.wav` in `dir`, written once.
    static func ensureFile(dir: String, sampleRate: Int, channels: Int) throws -> String {
        let path = "\(dir)/bench-audio-\(sampleRate)-\(channels == 1 ? "mono" : "stereo")-30s.wav"
        if (try? AudioFile.info(path))?.frames != 30 * sampleRate {
            try AudioFile.write(testSignal(sampleRate: sampleRate, channels: channels, seconds: 30),
                                sampleRate: sampleRate, channels: channels, to: path)
        }
        return path
    }

    /// Interleaved test audio: an A-minor chord (different per channel) plus a little seeded noise, peak < 0.8.
    static func testSignal(sampleRate: Int, channels: Int, seconds: Double) -> [Float] {
        var rng = SeededGenerator(seed: 2014)
        let tones: [[Double]] = [[220, 261.63, 329.63], [440, 523.25, 659.26]]
        let n = Int(seconds * Double(sampleRate))
        var out = [Float](repeating: 0, count: n * channels)
        for i in 0 ..< n {
            let t = Double(i) / Double(sampleRate)
            for c in 0 ..< channels {
                let chord = tones[c % 2].reduce(0.0) { $0 + sin(2 * .pi * $1 * t) } / 4
                out[i * channels + c] = Float(chord) + 0.02 * rng.nextNormal()
            }
        }
        return out
    }

    enum BenchError: Error, CustomStringConvertible {
        case invalidRuns(Int)
        case cannotCreate(String)
        var description: String {
            switch self {
            case .invalidRuns(let runs): return "bench audio: --runs must be >= 1 (got \(runs))"
            case .cannotCreate(let dir): return "bench audio: --dir \(dir): cannot create the folder"
            }
        }
    }
}
