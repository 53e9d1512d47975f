/// Streaming decode: the samples `AudioFile.load(path, sampleRate:)` returns (mono), handed
/// over in bounded blocks instead of one array, so memory does not grow with the file.
///
/// ```swift
/// let summary = try AudioFile.stream("two-hours.flac", sampleRate: 22050) { block in
///     framer.push(block)          // block: mono samples at 22050 Hz, any length
/// }
/// print(summary.samples)         // == AudioFile.load(...).samples.count
/// ```
/// The concatenated blocks are bit-identical to `load(path, sampleRate:).samples`: the same
/// decode loop (`SoundFile.decodeBlocks`, which alone decides where the data ends), the same
/// channel averaging, and `StreamingResampler`, which makes libsoxr's calls exactly as the
/// one-shot `Resampler` does. Peak memory: one decode block (`SoundFile.blockFrames` frames)
/// plus the resampler's input block and output buffer, whatever the length of the file.
extension AudioFile {
    /// What a stream delivered.
    public struct StreamSummary: Sendable, Equatable {
        /// The file's own rate, Hz.
        public var nativeRate: Int
        /// Frames decoded at `nativeRate`.
        public var decodedFrames: Int
        /// Mono samples delivered at the target rate (`ceil(decodedFrames * rate / nativeRate)`).
        public var samples: Int
    }

    /// Lowest header sample rate accepted when resampling, Hz. A damaged or hostile header
    /// claiming e.g. 1 Hz would turn a 44 KB file into hours of audio at 22050 Hz; libsndfile
    /// and librosa accept any positive rate, melcnn refuses these with one line naming the file
    /// (no real audio format uses a rate this low: telephony starts at 8000 Hz).
    public static let minimumSourceRate = 1000

    /// Throws `.corrupt` naming `path` when `nativeRate` is implausibly low for resampling to
    /// `sampleRate` (nil: no resampling, any rate is kept).
    static func checkSourceRate(_ nativeRate: Int, resamplingTo sampleRate: Int?, path: String) throws(AudioError) {
        guard let sampleRate, sampleRate != nativeRate, nativeRate < minimumSourceRate else { return }
        throw .corrupt(path: path, reason: "header declares \(nativeRate) Hz; rates below \(minimumSourceRate) Hz are refused (resampling to \(sampleRate) Hz would make the audio \(sampleRate / max(1, nativeRate)) times longer)")
    }

    /// Decodes `path` mono, resamples it to `sampleRate` (nil: the file's rate) and calls
    /// `consume` with consecutive blocks of samples (at most `SoundFile.blockFrames` frames
    /// of input each, fewer or more after resampling; never empty). Errors are those of
    /// `load` (naming the file), or whatever `consume` throws.
    @discardableResult
    public static func stream(_ path: String, sampleRate: Int? = defaultSampleRate,
                              quality: Resampler.Quality = .high,
                              _ consume: (UnsafeBufferPointer<Float>) throws -> Void) throws -> StreamSummary {
        if let sampleRate, !sampleRateRange.contains(sampleRate) {
            throw AudioError.invalidParameter(path: path, message: "target sample rate must be \(sampleRateRange.lowerBound) ... \(sampleRateRange.upperBound) Hz (got \(sampleRate))")
        }
        let file = try SoundFile(readingFrom: path)
        let native = file.sampleRate, channels = file.channels
        try checkSourceRate(native, resamplingTo: sampleRate, path: path)
        let resampler = try sampleRate.flatMap { rate throws(AudioError) in
            rate == native ? nil : try StreamingResampler(from: Double(native), to: Double(rate), quality: quality)
        }
        let mixed = UnsafeMutableBufferPointer<Float>.allocate(capacity: SoundFile.blockFrames)
        defer { mixed.deallocate() }
        var delivered = 0
        func deliver(_ block: UnsafeBufferPointer<Float>) throws {
            guard !block.isEmpty else { return }
            delivered += block.count
            try consume(block)
        }
        // decodeBlocks takes a closure that throws only AudioError: park the consumer's error.
        var consumerError: Error?
        let decoded: Int
        do {
            // The same request as `load`: the header's count when it is known (so a stream that
            // ends early is treated exactly as `load` treats it), else to the decoder's end.
            decoded = try file.decodeBlocks(from: 0, count: file.frameLimit) { block, _ throws(AudioError) in
                do {
                    let mono = channels == 1 ? block : mixDown(block, channels: channels, into: mixed)
                    if let resampler { try resampler.push(mono, deliver) } else { try deliver(mono) }
                } catch let error as AudioError {
                    throw error
                } catch {
                    consumerError = error
                    throw AudioError.invalidParameter(path: path, message: "\(error)")
                }
            }
        } catch {
            throw consumerError ?? error
        }
        guard decoded > 0 else { throw AudioError.noSamples(path: path, reason: "the file holds 0 frames") }
        try resampler?.finish(deliver)
        return StreamSummary(nativeRate: native, decodedFrames: decoded, samples: delivered)
    }
}
