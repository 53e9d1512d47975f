import Audio
import Foundation

/// Errors of the synthetic data generator; each description is one line.
public enum SynthError: Error, CustomStringConvertible {
    /// A parameter out of range (the CLI names its flag).
    case badParameter(ParameterError)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .badParameter(let error): return "synth: \(error)"
        case .writeFailed(let path, let reason): return "synth: cannot write \(path): \(reason)"
        }
    }
}

/// Procedurally generated music in the GTZAN layout, for demos, tests and benchmarks.
///
/// Each of the ten genres is a distribution (`GenreStyle`): ranges of tempo, swing,
/// drum patterns, instrument timbres (harmonic profiles, envelopes, noise), scales
/// and chord progressions, register, bandwidth and loudness. Every clip draws its
/// own values inside those ranges from a seed derived from `(seed, genre, index)`,
/// so clips are reproducible one by one and generation order does not matter.
///
/// ```swift
/// let paths = try Synth.generate(into: URL(fileURLWithPath: "synth"), options: .init(perGenre: 10, seconds: 5))
/// ```
public enum Synth {
    /// The GTZAN genre names, in the order `genres: N` takes them.
    public static let genreNames = GenreStyle.genreNames

    /// Options of `generate`.
    public struct Options: Sendable {
        /// Number of genres (the first N of `genreNames`), 1...10.
        public var genres: Int
        /// Clips per genre.
        public var perGenre: Int
        /// Length of each clip in seconds.
        public var seconds: Double
        /// Sample rate of the WAV files.
        public var sampleRate: Int
        /// Master seed.
        public var seed: UInt64
        /// Parallel worker threads.
        public var jobs: Int

        public init(genres: Int = 10, perGenre: Int = 100, seconds: Double = 30, sampleRate: Int = 22050,
                    seed: UInt64 = 0, jobs: Int = ProcessInfo.processInfo.activeProcessorCount) {
            self.genres = genres
            self.perGenre = perGenre
            self.seconds = seconds
            self.sampleRate = sampleRate
            self.seed = seed
            self.jobs = jobs
        }

        func validate() throws {
            guard (1 ... genreNames.count).contains(genres) else {
                throw SynthError.badParameter(ParameterError("genres", " must be 1...\(genreNames.count), got \(genres)"))
            }
            guard perGenre >= 1 else { throw SynthError.badParameter(ParameterError("perGenre", " must be at least 1, got \(perGenre)")) }
            guard seconds > 0, seconds <= 3600 else { throw SynthError.badParameter(ParameterError("seconds", " must be in (0, 3600], got \(seconds)")) }
            guard seconds * Double(sampleRate) >= 1 else {
                throw SynthError.badParameter(ParameterError("seconds", " \(seconds) is shorter than one sample at \(sampleRate) Hz"))
            }
            guard (4000 ... 192_000).contains(sampleRate) else {
                throw SynthError.badParameter(ParameterError("sampleRate", " must be 4000...192000, got \(sampleRate)"))
            }
            guard jobs >= 1 else { throw SynthError.badParameter(ParameterError("jobs", " must be at least 1, got \(jobs)")) }
        }
    }

    /// The seed of clip `index` of genre number `genre` (its index in `genreNames`),
    /// mixed from the master seed with SplitMix64 steps.
    public static func clipSeed(seed: UInt64, genre: Int, index: Int) -> UInt64 {
        func mix(_ x: UInt64) -> UInt64 {
            var z = x &+ 0x9E37_79B9_7F4A_7C15
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        return mix(mix(mix(seed) ^ UInt64(genre + 1)) ^ UInt64(index + 1) &* 0xD1B5_4A32_D192_ED03)
    }

    /// The samples (mono, [-1, 1]) of clip `index` of `genre` (a name in `genreNames`).
    public static func renderClip(genre: String, index: Int, seed: UInt64 = 0, seconds: Double = 30,
                                  sampleRate: Int = 22050) throws -> [Float] {
        guard let g = genreNames.firstIndex(of: genre) else {
            throw SynthError.badParameter(ParameterError("genre", " \(genre) is unknown (known: \(genreNames.joined(separator: " ")))"))
        }
        var renderer = ClipRenderer(style: GenreStyle.all[g], seed: clipSeed(seed: seed, genre: g, index: index),
                                    seconds: seconds, sampleRate: sampleRate)
        return renderer.render()
    }

    /// The relative path of a clip in the GTZAN layout: `<genre>/<genre>.00042.wav`.
    public static func relativePath(genre: String, index: Int) -> String {
        let number = String(index)
        return "\(genre)/\(genre).\(String(repeating: "0", count: max(0, 5 - number.count)))\(number).wav"
    }

    /// Writes `options.genres x options.perGenre` clips as 16-bit mono WAV files under
    /// `directory` (`<genre>/<genre>.00000.wav`, ...), in parallel, each written under a
    /// temporary name and renamed. `progress(done, total)` is called after each clip
    /// (from worker threads). Returns the relative paths in genre-then-index order.
    @discardableResult
    public static func generate(into directory: URL, options: Options = Options(),
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [String] {
        try options.validate()
        let genres = Array(genreNames.prefix(options.genres))
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SynthError.writeFailed(path: directory.path, reason: "is a file, expected a folder")
        }
        for genre in genres {
            do {
                try fm.createDirectory(at: directory.appendingPathComponent(genre), withIntermediateDirectories: true)
            } catch {
                throw SynthError.writeFailed(path: directory.appendingPathComponent(genre).path,
                                             reason: error.localizedDescription)
            }
        }
        let total = genres.count * options.perGenre
        let paths = (0 ..< total).map { relativePath(genre: genres[$0 / options.perGenre], index: $0 % options.perGenre) }
        let counter = Counter()
        try WorkerPool.forEach(count: total, jobs: options.jobs) { i in
            let genre = genres[i / options.perGenre]
            let samples = try renderClip(genre: genre, index: i % options.perGenre, seed: options.seed,
                                         seconds: options.seconds, sampleRate: options.sampleRate)
            try AudioFile.write(samples, sampleRate: options.sampleRate,
                                to: directory.appendingPathComponent(paths[i]).path, format: .wav16)
            progress?(counter.increment(), total)
        }
        return paths
    }
}

/// A thread-safe counter for progress reports.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
