import Foundation

/// Level statistics of a signal: peak and RMS over all samples of all channels,
/// linear (full scale = 1.0) and in dBFS (`20 * log10`; -inf for silence).
public struct AudioStatistics: Sendable, Equatable {
    /// Largest absolute sample value.
    public var peak: Float
    /// Root mean square of all samples.
    public var rms: Float
    /// Number of samples the statistics cover (frames x channels).
    public var sampleCount: Int
    /// Frames decoded (samples per channel) when measured from a file by `measure`, else nil.
    public var decodedFrames: Int?

    public var peakDBFS: Double { AudioStatistics.decibels(peak) }
    public var rmsDBFS: Double { AudioStatistics.decibels(rms) }

    /// Statistics of `samples` (any layout: every sample counts once).
    public init(samples: [Float]) {
        var accumulator = Accumulator()
        samples.withUnsafeBufferPointer { accumulator.add($0) }
        self = accumulator.result
    }

    init(peak: Float, rms: Float, sampleCount: Int) {
        self.peak = peak
        self.rms = rms
        self.sampleCount = sampleCount
    }

    /// Decodes `path` at its native rate, all channels, block by block, and measures it.
    /// Throws the same `AudioError`s as `AudioFile.load` (corrupt, NaN/Inf, no samples).
    public static func measure(_ path: String) throws(AudioError) -> AudioStatistics {
        let file = try SoundFile(readingFrom: path)
        var accumulator = Accumulator()
        try file.decodeBlocks(from: 0, count: file.frameLimit) { block, _ in
            accumulator.add(block)
        }
        guard accumulator.count > 0 else { throw .noSamples(path: path, reason: "the file holds 0 frames") }
        var result = accumulator.result
        result.decodedFrames = accumulator.count / file.channels
        return result
    }

    static func decibels(_ x: Float) -> Double { x > 0 ? 20 * log10(Double(x)) : -.infinity }

    /// Running peak and sum of squares (Double, so long files do not lose precision).
    struct Accumulator {
        var peak: Float = 0
        var sumSquares: Double = 0
        var count = 0

        mutating func add(_ x: UnsafeBufferPointer<Float>) {
            var blockPeak: Float = 0, blockSum: Float = 0
            // Block sums in Float (vectorisable), folded into a Double per block.
            var start = 0
            while start < x.count {
                let end = min(start + 4096, x.count)
                blockSum = 0
                for i in start ..< end {
                    blockPeak = max(blockPeak, abs(x[i]))
                    blockSum += x[i] * x[i]
                }
                sumSquares += Double(blockSum)
                start = end
            }
            peak = max(peak, blockPeak)
            count += x.count
        }

        var result: AudioStatistics {
            AudioStatistics(peak: peak, rms: count > 0 ? Float((sumSquares / Double(count)).squareRoot()) : 0,
                            sampleCount: count)
        }
    }
}
