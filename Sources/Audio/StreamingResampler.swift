import CSoxr

/// `Resampler.resample` for a mono signal that arrives in pieces: the same libsoxr calls in
/// the same order, so the output is bit-identical to the one-shot result.
///
/// The one-shot path (python-soxr's `csoxr_divide_proc`) feeds `soxr_process` consecutive
/// blocks of `max(1000, Int(48000 * in / out))` input samples and then flushes; this type
/// stages input into exactly those blocks whatever the caller's piece sizes are. libsoxr's
/// output is a FIFO read in order, so draining it through a bounded buffer yields the same
/// samples. `finish` cuts or zero-pads to `ceil(n * out / in)` (librosa's `fix_length`),
/// `n` being the total input length. Memory: one input block plus one output buffer
/// (about `block * out / in` samples), independent of the signal length.
///
/// ```swift
/// let r = try StreamingResampler(from: 44100, to: 22050)
/// try r.push(piece) { out in consume(out) }      // any number of pieces, any sizes
/// try r.finish { out in consume(out) }
/// ```
public final class StreamingResampler {
    public let sourceRate: Double
    public let targetRate: Double
    /// Input samples per `soxr_process` call (as the one-shot path).
    public let block: Int
    private let soxr: soxr_t
    /// Staged input, `block` samples.
    private let staged: UnsafeMutablePointer<Float>
    private var stagedCount = 0
    /// Output buffer handed to libsoxr, `outputCapacity` samples.
    private let output: UnsafeMutablePointer<Float>
    private let outputCapacity: Int
    /// Input samples pushed so far.
    public private(set) var inputCount = 0
    /// Output samples emitted so far.
    public private(set) var outputCount = 0
    private var finished = false

    /// A resampler from `sourceRate` to `targetRate` Hz (both positive and finite).
    public init(from sourceRate: Double, to targetRate: Double, quality: Resampler.Quality = .high) throws(AudioError) {
        guard sourceRate > 0, targetRate > 0, sourceRate.isFinite, targetRate.isFinite else {
            throw .invalidParameter(path: nil, message: "resample: sample rates must be positive (got \(sourceRate) -> \(targetRate))")
        }
        var error: soxr_error_t? = nil
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(quality.recipe, 0)
        guard let soxr = soxr_create(sourceRate, targetRate, 1, &error, &ioSpec, &qualitySpec, nil), error == nil else {
            throw .invalidParameter(path: nil, message: "resample: libsoxr: \(error.map { String(cString: $0) } ?? "cannot create resampler")")
        }
        self.soxr = soxr
        self.sourceRate = sourceRate
        self.targetRate = targetRate
        block = Resampler.inputBlock(from: sourceRate, to: targetRate)
        let perBlock: Double = Double(block) * (targetRate / sourceRate)
        outputCapacity = Int(Swift.min(perBlock, 1_048_576.0)) + 4096
        staged = .allocate(capacity: block)
        output = .allocate(capacity: outputCapacity)
    }

    deinit {
        soxr_delete(soxr)
        staged.deallocate()
        output.deallocate()
    }

    /// Output length for all the input so far: `ceil(n * out / in)`.
    public var targetLength: Int {
        Resampler.outputLength(inputLength: inputCount, from: sourceRate, to: targetRate)
    }

    /// Adds `input` and hands every output sample libsoxr releases to `emit`, in order.
    public func push(_ input: UnsafeBufferPointer<Float>,
                     _ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        precondition(!finished, "StreamingResampler.push after finish")
        var index = 0
        while index < input.count {
            let n = min(block - stagedCount, input.count - index)
            (staged + stagedCount).update(from: input.baseAddress! + index, count: n)
            stagedCount += n
            index += n
            inputCount += n
            if stagedCount == block { try process(staged, block, emit) }
        }
    }

    /// Feeds the last partial block, flushes libsoxr and emits the rest, cut or zero-padded
    /// so that the total output is `targetLength` samples.
    public func finish(_ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        precondition(!finished, "StreamingResampler.finish twice")
        finished = true
        if stagedCount > 0 { try process(staged, stagedCount, emit) }
        while true {  // end of input: drain what the filter still holds
            var done = 0
            let error = soxr_process(soxr, nil, 0, nil, output, outputCapacity, &done)
            if let error { throw AudioError.invalidParameter(path: nil, message: "resample: libsoxr: \(String(cString: error))") }
            try deliver(done, emit)
            if done < outputCapacity { break }
        }
        let missing = targetLength - outputCount
        guard missing > 0 else { return }
        output.initialize(repeating: 0, count: min(missing, outputCapacity))
        var left = missing
        while left > 0 {
            let n = min(left, outputCapacity)
            try deliver(n, emit)
            left -= n
        }
    }

    /// One `soxr_process` call on `count` staged samples, then the output it released.
    private func process(_ input: UnsafeMutablePointer<Float>, _ count: Int,
                         _ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        var done = 0
        let error = soxr_process(soxr, input, count, nil, output, outputCapacity, &done)
        if let error { throw AudioError.invalidParameter(path: nil, message: "resample: libsoxr: \(String(cString: error))") }
        stagedCount = 0
        try deliver(done, emit)
    }

    /// Emits the first `count` samples of `output`; once finishing, never past `targetLength`
    /// (the one-shot path cuts the surplus of the flush the same way).
    private func deliver(_ count: Int, _ emit: (UnsafeBufferPointer<Float>) throws -> Void) throws {
        let n = finished ? max(0, min(count, targetLength - outputCount)) : count
        guard n > 0 else { return }
        outputCount += n
        try emit(UnsafeBufferPointer(start: output, count: n))
    }
}
