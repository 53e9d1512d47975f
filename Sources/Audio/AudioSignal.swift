/// Decoded audio: Float samples, planar (channel-major) like librosa's `(channels, n)` array.
/// A mono signal's `samples` is simply the signal.
public struct AudioSignal: Sendable, Equatable {
    /// All samples, channel after channel: channel `c` is `samples[c * frameCount ..< (c + 1) * frameCount]`.
    public var samples: [Float]
    /// Sample rate in Hz.
    public var sampleRate: Int
    /// Number of channels (1 after a mono load).
    public var channelCount: Int

    public init(samples: [Float], sampleRate: Int, channelCount: Int = 1) {
        precondition(channelCount >= 1 && samples.count % channelCount == 0, "samples must hold whole frames")
        self.samples = samples
        self.sampleRate = sampleRate
        self.channelCount = channelCount
    }

    /// Samples per channel.
    public var frameCount: Int { samples.count / channelCount }
    /// Duration in seconds.
    public var duration: Double { Double(frameCount) / Double(sampleRate) }

    /// The samples of channel `c`.
    public func channel(_ c: Int) -> ArraySlice<Float> {
        samples[c * frameCount ..< (c + 1) * frameCount]
    }

    /// Interleaved frames (`l0 r0 l1 r1 ...`), the layout `AudioFile.write` takes.
    public var interleaved: [Float] {
        guard channelCount > 1 else { return samples }
        let n = frameCount, c = channelCount
        return [Float](unsafeUninitializedCapacity: samples.count) { out, count in
            samples.withUnsafeBufferPointer { src in
                for ch in 0 ..< c {
                    for i in 0 ..< n { out[i * c + ch] = src[ch * n + i] }
                }
            }
            count = samples.count
        }
    }
}
