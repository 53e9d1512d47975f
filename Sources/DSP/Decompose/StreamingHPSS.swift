/// The harmonic and percussive waveforms of librosa.effects.hpss (`hpssWaveforms`) from an STFT
/// that arrives in runs of frames, handed out in order as they are finished.
///
/// A run of frames is masked once `kernelSize / 2` later frames are known (the time median's
/// context; the frequency median needs only the frame itself), with scipy's reflect mode at
/// the first frame and, at `finish`, at the last; each masked run goes to a `StreamingISTFT`.
/// Runs are multiples of the inverse transform's batch, so every value (medians, masks,
/// overlap-add sums) is the one-shot value bit for bit. Memory: about two runs of frames.
struct StreamingHPSS {
    let kernelSize: Int, power: Float, margin: Float
    private let bins: Int
    private var harmonic: StreamingISTFT, percussive: StreamingISTFT
    /// Frames `heldStart ..< heldStart + held` of the STFT and its magnitude, row-major.
    private var real: [Float] = [], imag: [Float] = [], magnitude: [Float] = []
    private var heldStart = 0
    private var held: Int { magnitude.count / bins }
    /// The first frame not masked yet.
    private var next = 0

    /// HPSS of the centred STFT of `parameters`.
    init(parameters: STFTParameters, kernelSize: Int = 31, power: Float = 2, margin: Float = 1) throws {
        precondition(margin >= 1 && power > 0 && kernelSize >= 3 && kernelSize % 2 == 1,
                     "hpss: margins must be >= 1, the power strictly positive, the kernel odd")
        self.kernelSize = kernelSize
        self.power = power
        self.margin = margin
        bins = parameters.bins
        harmonic = try StreamingISTFT(parameters: parameters)
        percussive = try StreamingISTFT(parameters: parameters)
    }

    /// Adds the next frames (`stft` and its `magnitude`, `[frames x bins]`) and hands the
    /// waveform samples they finish to `harmonicOut` and `percussiveOut`.
    mutating func push(stft D: ComplexSpectrogram, magnitude S: FeatureMatrix,
                       harmonicOut: (UnsafeBufferPointer<Float>) throws -> Void,
                       percussiveOut: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        precondition(D.bins == bins && S.bins == bins && S.frames == D.frames, "StreamingHPSS: wrong shapes")
        real += D.real
        imag += D.imag
        magnitude += S.data
        let ready = (heldStart + held - kernelSize / 2 - next) / harmonic.batch * harmonic.batch
        if ready > 0 { try mask(ready, total: nil, harmonicOut, percussiveOut) }
    }

    /// Masks the remaining frames (reflecting at the last one) and hands out the rest of both
    /// waveforms, `length` samples each in all (the length of the signal).
    mutating func finish(length: Int, harmonicOut: (UnsafeBufferPointer<Float>) throws -> Void,
                         percussiveOut: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        let total = heldStart + held
        if total > next { try mask(total - next, total: total, harmonicOut, percussiveOut) }
        try harmonic.finish(length: length, harmonicOut)
        try percussive.finish(length: length, percussiveOut)
    }

    /// Masks frames `next ..< next + count` (`total`: the frame count once known) and inverts them.
    private mutating func mask(_ count: Int, total: Int?, _ harmonicOut: (UnsafeBufferPointer<Float>) throws -> Void,
                               _ percussiveOut: (UnsafeBufferPointer<Float>) throws -> Void) rethrows {
        let half = kernelSize / 2
        // Frames beyond the (unknown) end are never asked for before `finish`.
        let n = total ?? Int.max / 4
        let source = (next - half ..< next + count + half).map { reflectIndex($0, n) - heldStart }
        let all = FeatureMatrix(frames: held, bins: bins, data: magnitude)
        var harm = medianFilter(all, size: kernelSize, alongFrames: true, source: source)
        let rows = (next - heldStart) * bins ..< (next - heldStart + count) * bins
        let run = FeatureMatrix(frames: count, bins: bins, data: Array(magnitude[rows]))
        var perc = medianFilter(run, size: kernelSize, alongFrames: false)
        softmasks(harmonic: &harm, percussive: &perc, power: power, margin: (margin, margin))
        let D = ComplexSpectrogram(frames: count, bins: bins, real: Array(real[rows]), imag: Array(imag[rows]))
        try harmonic.push(D, gain: harm, harmonicOut)
        try percussive.push(D, gain: perc, percussiveOut)
        next += count
        let drop = (max(0, next - half) - heldStart) * bins
        if drop > 0 {
            real.removeFirst(drop)
            imag.removeFirst(drop)
            magnitude.removeFirst(drop)
            heldStart = max(0, next - half)
        }
    }
}
