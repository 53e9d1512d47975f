/// Centred STFT framing of a signal that arrives in pieces.
///
/// Frame `t` of a centred STFT covers samples `t * hop - nFFT/2 ..< t * hop + nFFT/2` of the
/// signal padded by `nFFT / 2` on both sides (`parameters.padMode`). This type keeps only the
/// samples the next frames need and hands out consecutive runs of frames as *uncentred*
/// segments: `segment(firstFrame, count, samples)` where `samples` holds exactly
/// `(count - 1) * hop + nFFT` padded samples, frame `firstFrame + k` starting at `k * hop`.
/// Running any uncentred transform on each segment therefore gives the frames of the
/// one-shot centred transform, including those that overlap the padding at either end and
/// those that straddle two pushed pieces.
///
/// Runs start at multiples of `framesPerRun` (a multiple of 16 and of the FFTW batch), so batched kernels
/// (FFTW batches of up to 64 frames, the 16-lane transform) group frames exactly as the
/// one-shot path does. The padding is made as `FrameSpectra` makes it (from the first / last
/// `2 nFFT` samples); a signal shorter than `2 nFFT` is framed whole at `finish`, as there.
///
/// Samples are copied once, into a run buffer that is handed out whole when it fills (only the
/// `nFFT - hop` samples the next run shares with it move to its front); the last `2 nFFT` raw
/// samples, which the right padding is made from, are kept in a small ring.
///
/// Memory: about `framesPerRun * hop + 3 nFFT` samples, whatever the signal length.
public struct StreamingFrames {
    public let parameters: STFTParameters
    /// Frames per segment handed out (the last one may be shorter).
    public let framesPerRun: Int
    /// The next run's padded samples from padded position `frameCount * hop` on: `filled` of
    /// `(framesPerRun - 1) * hop + nFFT` (empty until `started`).
    private var run: [Float] = []
    private var filled = 0
    /// Padded samples to drop before the run's first one (only when `hopLength > nFFT`).
    private var skip = 0
    /// Raw samples collected before the left padding could be made (fewer than `2 nFFT`).
    private var head: [Float] = []
    private var started = false
    /// The last `2 nFFT` raw samples (a ring: the oldest at `ringStart` once full).
    private var ring: [Float]
    private var ringStart = 0
    /// Raw (unpadded) samples pushed so far.
    public private(set) var sampleCount = 0
    /// Frames handed out so far.
    public private(set) var frameCount = 0

    /// Framing for centred `parameters` (`center` must be true), runs of about `framesPerRun`
    /// frames (rounded up to a multiple of 16 and of `FrameSpectra`'s batch for this size).
    public init(parameters: STFTParameters, framesPerRun: Int = 256) throws {
        try parameters.validate()
        precondition(parameters.center, "StreamingFrames: the parameters must be centred")
        self.parameters = parameters
        let batch = FrameSpectra.batch(nFFT: parameters.nFFT)
        var unit = 16
        while unit % batch != 0 { unit += 16 }
        self.framesPerRun = unit * max(1, (framesPerRun + unit - 1) / unit)
        ring = [Float](repeating: 0, count: 2 * parameters.nFFT)
    }

    /// The parameters of the uncentred transform to run on each segment.
    public var uncentred: STFTParameters {
        var p = parameters
        p.center = false
        return p
    }

    /// Samples in a full run.
    private var runLength: Int { (framesPerRun - 1) * parameters.hopLength + parameters.nFFT }

    /// Adds `samples`; hands out every full run of frames they complete.
    public mutating func push(_ samples: UnsafeBufferPointer<Float>,
                              _ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) rethrows {
        sampleCount += samples.count
        remember(samples)
        let n = parameters.nFFT
        if !started {
            head.append(contentsOf: samples)
            guard head.count >= 2 * n else { return }
            started = true
            run = [Float](repeating: 0, count: runLength)
            let left = Array(padSignal(Array(head[0 ..< 2 * n]), left: n / 2, right: 0, mode: parameters.padMode)[0 ..< n / 2])
            let head = self.head
            self.head = []
            try left.withUnsafeBufferPointer { try feed($0, segment) }
            try head.withUnsafeBufferPointer { try feed($0, segment) }
        } else {
            try feed(samples, segment)
        }
    }

    /// Pads the end and hands out the remaining frames (`1 + n / hop` in all for `n` samples).
    /// Throws when the whole signal is shorter than one frame can be (as `stft` does).
    public mutating func finish(_ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) throws {
        let n = parameters.nFFT, half = n / 2, hop = parameters.hopLength
        let total = try parameters.frameCount(length: sampleCount)
        if !started {  // short signal: padded whole, as FrameSpectra does
            let padded = padSignal(head, left: half, right: half, mode: parameters.padMode)
            head = []
            started = true
            run = [Float](repeating: 0, count: runLength)
            try padded.withUnsafeBufferPointer { try feed($0, segment) }
        } else {
            let last = Array(ring[ringStart...] + ring[..<ringStart])
            let tail = padSignal(last, left: half, right: half, mode: parameters.padMode)
            try tail[(tail.count - half)...].withUnsafeBufferPointer { try feed($0, segment) }
        }
        let left = total - frameCount
        guard left > 0 else { return }
        try segment(frameCount, left, Array(run[0 ..< (left - 1) * hop + n]))
        frameCount += left
    }

    /// Keeps the last `2 nFFT` raw samples in `ring`.
    private mutating func remember(_ samples: UnsafeBufferPointer<Float>) {
        let size = ring.count
        var piece = samples
        if piece.count > size { piece = UnsafeBufferPointer(rebasing: piece[(piece.count - size)...]) }
        ring.withUnsafeMutableBufferPointer { r in
            var k = 0
            while k < piece.count {
                let take = min(piece.count - k, size - ringStart)
                _ = UnsafeMutableBufferPointer(rebasing: r[ringStart ..< ringStart + take])
                    .update(fromContentsOf: UnsafeBufferPointer(rebasing: piece[k ..< k + take]))
                ringStart = (ringStart + take) % size
                k += take
            }
        }
    }

    /// Copies padded samples into the run; hands the run out each time it fills and keeps the
    /// `nFFT - hop` samples the next run starts with.
    private mutating func feed(_ samples: UnsafeBufferPointer<Float>,
                               _ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) rethrows {
        let length = runLength, advance = framesPerRun * parameters.hopLength
        var k = min(skip, samples.count)
        skip -= k
        while k < samples.count {
            let take = min(samples.count - k, length - filled)
            run.withUnsafeMutableBufferPointer { r in
                _ = UnsafeMutableBufferPointer(rebasing: r[filled ..< filled + take])
                    .update(fromContentsOf: UnsafeBufferPointer(rebasing: samples[k ..< k + take]))
            }
            filled += take
            k += take
            if filled == length {
                try segment(frameCount, framesPerRun, run)
                frameCount += framesPerRun
                let keep = length - advance   // negative when frames are further apart than long
                if keep > 0 {
                    run.withUnsafeMutableBufferPointer { r in r.baseAddress!.update(from: r.baseAddress! + advance, count: keep) }
                }
                filled = max(0, keep)
                skip = max(0, -keep)
                let drop = min(skip, samples.count - k)
                skip -= drop
                k += drop
            }
        }
    }
}
