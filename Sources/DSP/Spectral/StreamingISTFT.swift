/// `istft(S, parameters:, length:)` of a centred spectrogram that arrives in runs of frames: the
/// same `OverlapAdd` calls on each run, finished samples handed out as soon as no later frame can
/// add to them. `length` is needed only at `finish` (for the `1 + length / hop` frames of a
/// centred STFT of `length` samples no earlier sample is cut). The output is the one-shot
/// output bit for bit when every run but the last holds a multiple of `batch` frames (so
/// FFTW's batches are the one-shot ones).
/// Memory: one run of frames plus `nFFT` samples.
struct StreamingISTFT {
    private let overlapAdd: OverlapAdd
    private let trim: Int
    /// Overlap-added samples and squared windows from padded position `base` on.
    private var signal: [Float] = [], windowSum: [Float] = []
    private var base = 0
    private var frames = 0
    /// Output samples handed out.
    private var emitted = 0

    /// Frames per FFTW call; runs but the last must be multiples of it.
    var batch: Int { overlapAdd.batch }

    /// The inverse of the centred STFT of `parameters`.
    init(parameters: STFTParameters) throws {
        try parameters.validate()
        precondition(parameters.center, "StreamingISTFT: the parameters must be centred")
        overlapAdd = OverlapAdd(parameters: parameters)
        trim = parameters.nFFT / 2
    }

    /// Adds the next `part.frames` frames, each bin multiplied by its `gain` when given (`istft`'s
    /// gain), and hands the samples they finish to `out`.
    mutating func push(_ part: ComplexSpectrogram, gain: [Float]? = nil,
                       _ out: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        precondition(part.bins == overlapAdd.bins, "StreamingISTFT: wrong number of bins")
        precondition(gain.map { $0.count == part.real.count } ?? true, "StreamingISTFT: one gain per bin")
        let count = part.frames
        guard count > 0 else { return }
        let hop = overlapAdd.hop
        let end = (frames + count - 1) * hop + overlapAdd.nFFT - base
        if signal.count < end {
            signal += [Float](repeating: 0, count: end - signal.count)
            windowSum += [Float](repeating: 0, count: end - windowSum.count)
        }
        let offset = frames * hop - base
        signal.withUnsafeMutableBufferPointer { y in
            windowSum.withUnsafeMutableBufferPointer { wss in
                part.real.withUnsafeBufferPointer { re in
                    part.imag.withUnsafeBufferPointer { im in
                        withOptionalPointer(gain) { g in
                            overlapAdd.add(frames: count, real: re.baseAddress!, imag: im.baseAddress!, gain: g,
                                           signal: y.baseAddress! + offset, windowSum: wss.baseAddress! + offset)
                        }
                    }
                }
            }
        }
        frames += count
        try emit(upTo: frames * hop, length: Int.max, out)
    }

    /// Hands out the remaining samples, trimmed or zero-padded to `length` in all. The frames
    /// pushed must be those the one-shot `istft` uses for `length` (at most `ceil((length + nFFT) / hop)`).
    mutating func finish(length: Int, _ out: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        precondition(length >= emitted && frames <= (length + 2 * trim + overlapAdd.hop - 1) / overlapAdd.hop,
                     "StreamingISTFT: \(frames) frames do not invert to \(length) samples")
        if frames > 0 { try emit(upTo: overlapAdd.nFFT + overlapAdd.hop * (frames - 1), length: length, out) }
        if emitted < length {
            let zeros = [Float](repeating: 0, count: length - emitted)
            emitted = length
            try zeros.withUnsafeBufferPointer { try out($0) }
        }
    }

    /// Hands out output samples whose padded positions lie before `final`, then drops them.
    private mutating func emit(upTo final: Int, length: Int, _ out: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        let stop = min(length, final - trim)
        if stop > emitted {
            var block = [Float](repeating: 0, count: stop - emitted)
            let first = trim + emitted - base
            signal.withUnsafeBufferPointer { y in windowSum.withUnsafeBufferPointer { wss in
                block.withUnsafeMutableBufferPointer { b in
                    normaliseOverlapAdd(y.baseAddress! + first, windowSum: wss.baseAddress! + first, count: b.count,
                                        into: b.baseAddress!)
                }
            } }
            emitted = stop
            try block.withUnsafeBufferPointer { try out($0) }
        }
        let drop = min(final, trim + emitted) - base
        if drop > 0 {
            signal.removeFirst(drop)
            windowSum.removeFirst(drop)
            base += drop
        }
    }
}
