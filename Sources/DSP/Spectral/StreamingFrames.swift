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
/// Memory: about `framesPerRun * hop + 3 nFFT` samples, whatever the signal length.
public struct StreamingFrames {
    public let parameters: STFTParameters
    /// Frames per segment handed out (the last one may be shorter).
    public let framesPerRun: Int
    /// Padded samples from padded position `bufferStart` on (empty until `started`).
    private var buffer: [Float] = []
    private var bufferStart = 0
    /// Raw samples collected before the left padding could be made (fewer than `2 nFFT`).
    private var head: [Float] = []
    private var started = false
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
        let batch = try FrameSpectra(parameters: parameters).batch
        var unit = 16
        while unit % batch != 0 { unit += 16 }
        self.framesPerRun = unit * max(1, (framesPerRun + unit - 1) / unit)
    }

    /// The parameters of the uncentred transform to run on each segment.
    public var uncentred: STFTParameters {
        var p = parameters
        p.center = false
        return p
    }

    /// Adds `samples`; hands out every full run of frames they complete.
    public mutating func push(_ samples: UnsafeBufferPointer<Float>,
                              _ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) rethrows {
        sampleCount += samples.count
        let n = parameters.nFFT
        if !started {
            head.append(contentsOf: samples)
            guard head.count >= 2 * n else { return }
            started = true
            buffer = Array(padSignal(Array(head[0 ..< 2 * n]), left: n / 2, right: 0, mode: parameters.padMode)[0 ..< n / 2])
            buffer += head
            head = []
        } else {
            buffer.append(contentsOf: samples)
        }
        // Keep the last 2 nFFT raw samples for the right padding.
        try handOut(upTo: sampleCount + n / 2 - 2 * n, segment)
    }

    /// Pads the end and hands out the remaining frames (`1 + n / hop` in all for `n` samples).
    /// Throws when the whole signal is shorter than one frame can be (as `stft` does).
    public mutating func finish(_ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) throws {
        let n = parameters.nFFT, half = n / 2
        let total = try parameters.frameCount(length: sampleCount)
        if !started {  // short signal: padded whole, as FrameSpectra does
            buffer = padSignal(head, left: half, right: half, mode: parameters.padMode)
            bufferStart = 0
            head = []
            started = true
        } else {
            let tail = padSignal(Array(buffer[(buffer.count - 2 * n)...]), left: half, right: half, mode: parameters.padMode)
            buffer.append(contentsOf: tail[(tail.count - half)...])
        }
        try handOut(upTo: sampleCount + 2 * half, segment)
        let left = total - frameCount
        guard left > 0 else { return }
        try emit(left, segment)
    }

    /// Hands out whole runs whose samples all lie before padded position `end`.
    private mutating func handOut(upTo end: Int,
                                  _ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) rethrows {
        let hop = parameters.hopLength, n = parameters.nFFT
        while (frameCount + framesPerRun - 1) * hop + n <= min(end, bufferStart + buffer.count) {
            try emit(framesPerRun, segment)
        }
    }

    /// Hands out the next `count` frames and drops the samples no later frame needs.
    private mutating func emit(_ count: Int,
                               _ segment: (_ firstFrame: Int, _ count: Int, _ samples: [Float]) throws -> Void) rethrows {
        let hop = parameters.hopLength, n = parameters.nFFT
        let from = frameCount * hop - bufferStart
        let samples = Array(buffer[from ..< from + (count - 1) * hop + n])
        try segment(frameCount, count, samples)
        frameCount += count
        let drop = min(buffer.count, frameCount * hop - bufferStart)
        buffer.removeFirst(drop)
        bufferStart += drop
    }
}
