/// librosa.estimate_tuning of a power spectrogram that arrives in runs of frames
/// (`estimateTuning(spectrogram:)` of the whole matrix, the same value): piptrack's candidates
/// go to a `TemporaryFloats` file as (magnitude, pitch) pairs, the median magnitude is found
/// exactly by a two-level radix selection over the file (two 65 536-count histograms of the
/// magnitudes' order-preserving bit patterns), and the pitch histogram is filled from a last
/// read. Memory: the histograms and one file buffer, whatever the number of frames.
final class StreamingTuning {
    let sampleRate: Double
    private let candidates: TemporaryFloats
    /// Candidates per high 16 bits of their key.
    private var high = [Int](repeating: 0, count: 1 << 16)
    private var count = 0

    init(sampleRate: Double) throws {
        self.sampleRate = sampleRate
        candidates = try TemporaryFloats()
    }

    /// A key whose unsigned order is the order of the floats (negative values flipped).
    @inline(__always)
    static func key(_ v: Float) -> UInt32 {
        let b = v.bitPattern
        return b & 0x8000_0000 != 0 ? ~b : b | 0x8000_0000
    }

    @inline(__always)
    static func value(_ key: UInt32) -> Float {
        Float(bitPattern: key & 0x8000_0000 != 0 ? key & 0x7FFF_FFFF : ~key)
    }

    /// Adds the candidates of the frames of `power` (`[frames x bins]`, the next frames in order).
    func add(power: FeatureMatrix) throws {
        var pairs: [Float] = []
        forEachPitchCandidate(power, sampleRate: sampleRate, fmin: 150, fmax: 4000, threshold: 0.1) { _, pitch, mag in
            if pitch > 0 { pairs.append(mag); pairs.append(pitch) }
        }
        for i in stride(from: 0, to: pairs.count, by: 2) { high[Int(Self.key(pairs[i]) >> 16)] += 1 }
        count += pairs.count / 2
        try candidates.append(pairs)
    }

    /// The candidate magnitude of rank `rank` (0-based, ascending) among all.
    private func select(_ rank: Int) throws -> Float {
        var bucket = 0, below = 0
        while below + high[bucket] <= rank { below += high[bucket]; bucket += 1 }
        var low = [Int](repeating: 0, count: 1 << 16)
        try candidates.forEachBlock { block in
            for i in stride(from: 0, to: block.count, by: 2) {
                let k = Self.key(block[i])
                if Int(k >> 16) == bucket { low[Int(k & 0xFFFF)] += 1 }
            }
        }
        var bits = 0
        while below + low[bits] <= rank { below += low[bits]; bits += 1 }
        return Self.value(UInt32(bucket) << 16 | UInt32(bits))
    }

    /// The tuning of everything added (librosa.estimate_tuning, resolution 0.01, `binsPerOctave`).
    func tuning(binsPerOctave: Int = 12) throws -> Double {
        var threshold: Float = 0
        if count > 0 {
            // np.median: the middle value, or the float32 mean of the two middle values
            threshold = try count % 2 == 1 ? select(count / 2) : (select(count / 2 - 1) + select(count / 2)) / 2
        }
        var histogram = TuningHistogram(binsPerOctave: binsPerOctave)
        try candidates.forEachBlock { block in
            for i in stride(from: 0, to: block.count, by: 2) where block[i] >= threshold { histogram.add(block[i + 1]) }
        }
        return histogram.tuning
    }
}
