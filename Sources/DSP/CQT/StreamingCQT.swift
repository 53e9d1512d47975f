import Audio

/// `cqt(y, parameters:)` of a signal that arrives in pieces, with the tuning given: the same
/// frames bit for bit, handed out in runs as they become complete.
///
/// The one-shot transform resamples the whole signal 2:1 before each lower octave; here each
/// resampling level is a `StreamingResampler` (the same libsoxr calls, so the same samples,
/// scaled by sqrt 2 as `downsampleScaled`), and each octave frames its level with
/// `StreamingFrames` (the padding and batches of its one-shot STFT). A frame is handed out once
/// every octave has computed it. Memory: the resamplers' and framers' buffers and the responses
/// of the octaves that run ahead of the lowest one, whatever the signal length.
final class StreamingCQT {
    let plan: CQTPlan
    private var framers: [StreamingFrames]
    private let engines: [FrameSpectra]
    /// `resamplers[j]` makes level j + 1 from level j (as many as the lowest octave's level).
    private let resamplers: [StreamingResampler]
    /// The early downsampling (`plan.early` 2:1 steps in one resampling), nil without it.
    private let early: StreamingResampler?
    /// Per octave: the responses of frames `emitted ..< produced[i]` (`[frames x rows]`, flat).
    private var pendingReal: [[Float]], pendingImag: [[Float]]
    private var produced: [Int]
    private var emitted = 0
    private var samples = 0

    /// A transform with `parameters` (validated) at `tuning` (fractions of a bin).
    init(parameters: CQTParameters, tuning: Double) throws {
        try parameters.validate()
        plan = try CQTPlan(parameters: parameters, tuning: tuning)
        framers = try plan.octaves.map {
            try StreamingFrames(parameters: STFTParameters(nFFT: $0.basis.nFFT, hopLength: $0.hop, window: .rectangular,
                                                           center: true, padMode: parameters.padMode))
        }
        engines = try framers.map { try FrameSpectra(parameters: $0.uncentred) }
        let levels = (plan.octaves.map(\.level).max() ?? 0)
        resamplers = try (0 ..< levels).map { _ in try StreamingResampler(from: 2, to: 1, quality: parameters.resType) }
        early = plan.early > 0 ? try StreamingResampler(from: Double(plan.earlyFactor), to: 1, quality: parameters.resType) : nil
        pendingReal = plan.octaves.map { _ in [] }
        pendingImag = plan.octaves.map { _ in [] }
        produced = plan.octaves.map { _ in 0 }
    }

    /// Adds `piece` (finite samples); `emit` receives every run of frames now complete
    /// (`[frames x nBins]`, in order).
    func push(_ piece: UnsafeBufferPointer<Float>, _ emit: (ComplexSpectrogram) throws -> Void) throws {
        guard piece.allSatisfy(\.isFinite) else { throw DSPError.invalidInput("cqt: the signal is not finite everywhere") }
        samples += piece.count
        if let early {
            try early.push(piece) { try feed(level: 0, scaledForEarly($0)) }
        } else {
            try feed(level: 0, Array(piece))
        }
        try emitReady(emit)
    }

    /// Ends the signal: flushes the resamplers level by level, pads the octaves' ends and hands
    /// out the remaining frames. Throws for an empty or too short signal, as `cqt` does.
    func finish(_ emit: (ComplexSpectrogram) throws -> Void) throws {
        guard samples > 0 else { throw DSPError.invalidInput("cqt: the signal is empty") }
        if let early {
            guard samples >= plan.earlyFactor else {
                throw DSPError.invalidInput("cqt: input signal length=\(samples) is too short for \(plan.parameters.octaves)-octave CQT")
            }
            try early.finish { try feed(level: 0, scaledForEarly($0)) }
        }
        for level in 0 ... resamplers.count {
            for i in plan.octaves.indices where plan.octaves[i].level == level {
                try framers[i].finish { first, count, segment in try respond(i, first, count, segment) }
            }
            if level < resamplers.count {
                try resamplers[level].finish { try feed(level: level + 1, scaled($0)) }
            }
        }
        try emitReady(emit)
    }

    /// Level `level`'s next samples: to its octaves' framers and to the next resampler.
    private func feed(level: Int, _ samples: [Float]) throws {
        try samples.withUnsafeBufferPointer { buffer in
            for i in plan.octaves.indices where plan.octaves[i].level == level {
                try framers[i].push(buffer) { first, count, segment in try respond(i, first, count, segment) }
            }
            if level < resamplers.count {
                try resamplers[level].push(buffer) { try feed(level: level + 1, scaled($0)) }
            }
        }
    }

    /// `downsampleScaled`'s scaling of a 2:1 resampler's output (divided by sqrt(1/2) in double).
    private func scaled(_ out: UnsafeBufferPointer<Float>) -> [Float] {
        let divisor = (1 / 2.0).squareRoot()
        return out.map { Float(Double($0) / divisor) }
    }

    /// The early resampler's output, scaled as `cqt` scales it.
    private func scaledForEarly(_ out: UnsafeBufferPointer<Float>) -> [Float] {
        let divisor = (1 / Double(plan.earlyFactor)).squareRoot()
        var signal = out.map { Float(Double($0) / divisor) }
        plan.applyEarlyGain(&signal)
        return signal
    }

    /// Octave `i`'s responses of frames `first ..< first + count` (`octaveResponse` on an uncentred segment).
    private func respond(_ i: Int, _ first: Int, _ count: Int, _ segment: [Float]) throws {
        precondition(first == produced[i], "StreamingCQT: octave frames out of order")
        let r = try basisResponse(segment, engine: engines[i], basis: plan.octaves[i].basis, frames: count)
        pendingReal[i] += r.real
        pendingImag[i] += r.imag
        produced[i] += count
    }

    /// Hands out the frames every octave has computed.
    private func emitReady(_ emit: (ComplexSpectrogram) throws -> Void) throws {
        let ready = produced.min() ?? 0
        guard ready > emitted else { return }
        let frames = ready - emitted, nBins = plan.parameters.nBins
        var out = ComplexSpectrogram(frames: frames, bins: nBins, real: [Float](repeating: 0, count: frames * nBins),
                                     imag: [Float](repeating: 0, count: frames * nBins))
        for (i, octave) in plan.octaves.enumerated() {
            let rows = octave.basis.rows
            let r = ComplexSpectrogram(frames: pendingReal[i].count / rows, bins: rows, real: pendingReal[i], imag: pendingImag[i])
            plan.place(r, firstFrame: 0, frames: frames, low: octave.low, into: &out)
            pendingReal[i].removeFirst(frames * rows)
            pendingImag[i].removeFirst(frames * rows)
        }
        emitted = ready
        try emit(out)
    }
}
