import FileOutput
import Foundation
import Tensor

/// Synthetic listening data for the synthetic audio: a `user,track,count` CSV whose users
/// prefer one or two genres, so that latent factors of the plays carry genre information
/// (and the chain plays -> factors -> audio model is testable without real listening data).
///
/// Track ids are the clips' relative paths as `prepare` stores them
/// (`<genre>/<genre>.00042.wav`). Each listener draws, from a seed mixed from
/// `(seed, listener)`: one or two favourite genres (85% of their tracks, the rest spread over
/// all genres), a number of distinct tracks (uniform in `minTracks...maxTracks`), tracks by
/// a Zipf-like popularity inside each genre (weight `1 / (1 + rank)^0.7`, ranks a seeded
/// permutation per genre), and a play count per track (1 + geometric, mean 2.5).
public enum SynthListeners {
    public struct Options: Sendable {
        /// Number of listeners (`listener00000`, ...).
        public var listeners: Int
        /// Genres (the first N of `Synth.genreNames`) and clips per genre, as `Synth.Options`.
        public var genres: Int
        public var perGenre: Int
        /// Distinct tracks per listener: uniform in this range (capped by the catalogue size).
        public var minTracks: Int
        public var maxTracks: Int
        public var seed: UInt64

        public init(listeners: Int, genres: Int = 10, perGenre: Int = 100, minTracks: Int = 5, maxTracks: Int = 40,
                    seed: UInt64 = 0) {
            self.listeners = listeners
            self.genres = genres
            self.perGenre = perGenre
            self.minTracks = minTracks
            self.maxTracks = maxTracks
            self.seed = seed
        }

        func validate() throws {
            guard (1 ... 100_000_000).contains(listeners) else {
                throw SynthError.badParameter(ParameterError("listeners", " must be 1...100000000, got \(listeners)"))
            }
            guard (1 ... Synth.genreNames.count).contains(genres) else {
                throw SynthError.badParameter(ParameterError("genres", " must be 1...\(Synth.genreNames.count), got \(genres)"))
            }
            guard perGenre >= 1 else { throw SynthError.badParameter(ParameterError("perGenre", " must be at least 1, got \(perGenre)")) }
            guard minTracks >= 1, maxTracks >= minTracks else {
                throw SynthError.badParameter(ParameterError("tracksPerListener", " must be MIN-MAX with 1 <= MIN <= MAX, got \(minTracks)-\(maxTracks)"))
            }
        }
    }

    /// The plays as CSV text with a `user,track,count` header, one row per (listener, track).
    public static func csv(options: Options) throws -> [UInt8] {
        try options.validate()
        let g = options.genres, n = options.perGenre
        let ids = (0 ..< g * n).map { Synth.relativePath(genre: Synth.genreNames[$0 / n], index: $0 % n) }
        // Popularity CDF per genre over the clip indices.
        var cdf = [[Double]](repeating: [], count: g)
        for genre in 0 ..< g {
            var rng = SeededGenerator(seed: Synth.clipSeed(seed: options.seed, genre: genre, index: -1))
            var rank = Array(0 ..< n)
            for i in stride(from: n - 1, to: 0, by: -1) { rank.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var total = 0.0
            cdf[genre] = (0 ..< n).map { i in total += 1 / pow(1 + Double(rank[i]), 0.7); return total }
            cdf[genre] = cdf[genre].map { $0 / total }
        }
        let catalogue = g * n
        var out: [UInt8] = Array("user,track,count\n".utf8)
        out.reserveCapacity(options.listeners * (options.minTracks + options.maxTracks) / 2 * 40)
        var chosen = Set<Int>()
        var order: [Int] = []
        for user in 0 ..< options.listeners {
            var rng = SeededGenerator(seed: Synth.clipSeed(seed: options.seed ^ 0x6C69_7374_656E, genre: -1, index: user))
            let favourites = g == 1 ? [0] : (0 ..< (1 + Int(rng.next() % 2))).map { _ in Int(rng.next() % UInt64(g)) }
            let span = options.maxTracks - options.minTracks + 1
            let count = min(catalogue, options.minTracks + Int(rng.next() % UInt64(span)))
            chosen.removeAll(keepingCapacity: true)
            order.removeAll(keepingCapacity: true)
            var attempts = 0
            while chosen.count < count, attempts < 50 * count {
                attempts += 1
                let genre = (Double(rng.next() >> 11) * 0x1p-53) < 0.85 ? favourites[Int(rng.next() % UInt64(favourites.count))]
                                                    : Int(rng.next() % UInt64(g))
                let u = (Double(rng.next() >> 11) * 0x1p-53)
                let c = cdf[genre]
                var lo = 0, hi = n - 1
                while lo < hi { let mid = (lo + hi) / 2; if c[mid] < u { lo = mid + 1 } else { hi = mid } }
                if chosen.insert(genre * n + lo).inserted { order.append(genre * n + lo) }
            }
            let name = "listener" + String(repeating: "0", count: max(0, 5 - String(user).count)) + String(user)
            for track in order {
                var plays = 1
                while (Double(rng.next() >> 11) * 0x1p-53) < 0.6, plays < 1000 { plays += 1 }
                out.append(contentsOf: name.utf8)
                out.append(0x2C)
                out.append(contentsOf: ids[track].utf8)
                out.append(0x2C)
                out.append(contentsOf: String(plays).utf8)
                out.append(0x0A)
            }
        }
        return out
    }

    /// Writes `csv(options:)` to `path` atomically; returns the number of play rows.
    @discardableResult
    public static func write(to path: String, options: Options) throws -> Int {
        let bytes = try csv(options: options)
        do { try atomicWrite(to: path, bytes: bytes) } catch {
            throw SynthError.writeFailed(path: path, reason: "\(error)")
        }
        return bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } - 1
    }
}
