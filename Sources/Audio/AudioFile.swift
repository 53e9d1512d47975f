import Foundation

/// Reading audio files, with `librosa.load` semantics.
///
/// ```swift
/// let y = try AudioFile.load("song.mp3")                     // mono, 22050 Hz
/// let native = try AudioFile.load("song.wav", sampleRate: nil, mono: false)
/// let clip = try AudioFile.load("song.flac", offset: 30, duration: 5)
/// ```
public enum AudioFile {
    /// librosa's default target rate.
    public static let defaultSampleRate = 22050
    /// Target sample rates `load` accepts, in Hz.
    public static let sampleRateRange = 1 ... 10_000_000

    /// Decodes `path` (anything libsndfile reads: WAV, AIFF, FLAC, OGG/Vorbis, Opus, MP3, ...).
    ///
    /// - Parameters:
    ///   - sampleRate: target rate in Hz (default 22050, like librosa); nil keeps the file's rate.
    ///     Resampling uses libsoxr exactly as `librosa.resample(res_type="soxr_hq")` does, and
    ///     yields `ceil(n * sampleRate / nativeRate)` samples per channel.
    ///   - mono: average the channels into one (librosa's `to_mono`); false keeps them.
    ///   - offset: start reading this many seconds in (`int(offset * sr)` frames, as librosa).
    ///     Only the requested window is decoded.
    ///   - duration: read at most this many seconds (`int(duration * sr)` frames); nil: to the end.
    ///   - quality: libsoxr recipe (default `soxr_hq`, librosa's default).
    /// - Throws: `AudioError` naming the file (not found, unsupported, corrupt/truncated, no
    ///   samples, NaN/Inf samples, invalid parameters).
    public static func load(_ path: String, sampleRate: Int? = defaultSampleRate, mono: Bool = true,
                            offset: Double = 0, duration: Double? = nil,
                            quality: Resampler.Quality = .high) throws(AudioError) -> AudioSignal {
        if let sampleRate, !sampleRateRange.contains(sampleRate) {
            throw .invalidParameter(path: path, message: "target sample rate must be \(sampleRateRange.lowerBound) ... \(sampleRateRange.upperBound) Hz (got \(sampleRate))")
        }
        guard offset.isFinite, offset >= 0 else {
            throw .invalidParameter(path: path, message: "offset must be a finite number of seconds >= 0 (got \(offset))")
        }
        if let duration, !(duration.isFinite && duration >= 0) {
            throw .invalidParameter(path: path, message: "duration must be a finite number of seconds >= 0 (got \(duration))")
        }
        let file = try SoundFile(readingFrom: path)
        let native = file.sampleRate, channels = file.channels
        try checkSourceRate(native, resamplingTo: sampleRate, path: path)
        // librosa (__soundfile_load): seek(int(offset * sr)), read(int(duration * sr)).
        let start = frameIndex(seconds: offset, rate: native)
        var count = duration.map { frameIndex(seconds: $0, rate: native) }
        if file.frameCountIsKnown {
            guard start < file.frames else {
                throw .noSamples(path: path, reason: file.frames == 0 ? "the file holds 0 frames"
                    : "offset \(offset) s is at or past the end (\(String(format: "%.3f", Double(file.frames) / Double(native))) s)")
            }
            count = min(count ?? Int.max, file.frames - start)
        }
        if count == 0 {
            throw .noSamples(path: path, reason: "duration \(duration ?? 0) s is shorter than one sample")
        }
        try file.seek(to: start)

        var signal: AudioSignal
        if mono || channels == 1 {
            signal = AudioSignal(samples: try decodeMono(file, start: start, count: count), sampleRate: native)
        } else {
            signal = AudioSignal(samples: try decodePlanar(file, start: start, count: count),
                                 sampleRate: native, channelCount: channels)
        }
        if signal.samples.isEmpty {
            throw .noSamples(path: path, reason: start > 0 ? "nothing after offset \(offset) s" : "the file holds 0 frames")
        }
        if let sampleRate, sampleRate != native {
            signal = try resample(signal, to: sampleRate, quality: quality)
        }
        return signal
    }

    /// Python's `int(seconds * rate)` (truncation), clamped so absurd values cannot overflow.
    static func frameIndex(seconds: Double, rate: Int) -> Int {
        Int(min(seconds * Double(rate), 1e15))
    }

    /// Reads the header of `path` (format, encoding, rate, channels, frames) without decoding.
    public static func info(_ path: String) throws(AudioError) -> AudioFileInfo {
        AudioFileInfo(try SoundFile(readingFrom: path))
    }

    /// Resamples every channel of `signal` to `sampleRate` (channels independently, as librosa).
    public static func resample(_ signal: AudioSignal, to sampleRate: Int,
                                quality: Resampler.Quality = .high) throws(AudioError) -> AudioSignal {
        if sampleRate == signal.sampleRate { return signal }
        if signal.channelCount == 1 {
            return AudioSignal(samples: try Resampler.resample(signal.samples, from: Double(signal.sampleRate),
                                                               to: Double(sampleRate), quality: quality),
                               sampleRate: sampleRate)
        }
        var out: [Float] = []
        for c in 0 ..< signal.channelCount {
            let y = try Resampler.resample(Array(signal.channel(c)), from: Double(signal.sampleRate),
                                           to: Double(sampleRate), quality: quality)
            out.reserveCapacity(y.count * signal.channelCount)
            out.append(contentsOf: y)
        }
        return AudioSignal(samples: out, sampleRate: sampleRate, channelCount: signal.channelCount)
    }

    /// Decodes and averages the channels (librosa `to_mono`: `np.mean(y, axis=0)` in float32,
    /// summed channel by channel then divided by the channel count).
    private static func decodeMono(_ file: SoundFile, start: Int, count: Int?) throws(AudioError) -> [Float] {
        let channels = file.channels
        var out: [Float] = []
        out.reserveCapacity(file.preallocationFrames(count))
        if channels == 1 {
            try file.decodeBlocks(from: start, count: count) { block, _ in out.append(contentsOf: block) }
            return out
        }
        let mixed = UnsafeMutableBufferPointer<Float>.allocate(capacity: SoundFile.blockFrames)
        defer { mixed.deallocate() }
        try file.decodeBlocks(from: start, count: count) { block, _ in
            out.append(contentsOf: mixDown(block, channels: channels, into: mixed))
        }
        return out
    }

    /// Averages the `channels` interleaved channels of `block` into `mixed` (librosa `to_mono`:
    /// summed channel by channel in float32, then divided by the count); returns the frames
    /// written, `block.count / channels` (at most `mixed.count`).
    static func mixDown(_ block: UnsafeBufferPointer<Float>, channels: Int,
                        into mixed: UnsafeMutableBufferPointer<Float>) -> UnsafeBufferPointer<Float> {
        let frames = block.count / channels
        let divisor = Float(channels)
        if channels == 2 {
            for i in 0 ..< frames { mixed[i] = (block[2 * i] + block[2 * i + 1]) / 2 }
        } else {
            for i in 0 ..< frames {
                var sum = block[i * channels]
                for c in 1 ..< channels { sum += block[i * channels + c] }
                mixed[i] = sum / divisor
            }
        }
        return UnsafeBufferPointer(rebasing: mixed[0 ..< frames])
    }

    /// Decodes all channels into planar layout (channel after channel). With a known frame
    /// count each block is split straight into the output; otherwise channels grow separately.
    private static func decodePlanar(_ file: SoundFile, start: Int, count: Int?) throws(AudioError) -> [Float] {
        let channels = file.channels
        if let count, file.frameCountIsKnown, file.preallocationFrames(count) == count {
            var decoded = 0
            let out = try [Float](unsafeUninitializedCapacity: channels * count) { (out, initialized) throws(AudioError) in
                try file.decodeBlocks(from: start, count: count) { block, _ in
                    let frames = block.count / channels
                    let first = out.baseAddress! + decoded
                    if channels == 2 {
                        let second = first + count
                        for i in 0 ..< frames {
                            first[i] = block[2 * i]
                            second[i] = block[2 * i + 1]
                        }
                    } else {
                        for c in 0 ..< channels {
                            let row = first + c * count
                            for i in 0 ..< frames { row[i] = block[i * channels + c] }
                        }
                    }
                    decoded += frames
                }
                // A stream that ended early: close the gaps between the channel rows.
                if decoded < count {
                    for c in 1 ..< max(channels, 1) {
                        memmove(out.baseAddress! + c * decoded, out.baseAddress! + c * count, decoded * MemoryLayout<Float>.size)
                    }
                }
                initialized = channels * decoded
            }
            return out
        }
        var perChannel = [[Float]](repeating: [], count: channels)
        let split = UnsafeMutableBufferPointer<Float>.allocate(capacity: SoundFile.blockFrames)
        defer { split.deallocate() }
        try file.decodeBlocks(from: start, count: count) { block, _ in
            let frames = block.count / channels
            for c in 0 ..< channels {
                for i in 0 ..< frames { split[i] = block[i * channels + c] }
                perChannel[c].append(contentsOf: UnsafeBufferPointer(rebasing: split[0 ..< frames]))
            }
        }
        return Array(perChannel.joined())
    }
}
