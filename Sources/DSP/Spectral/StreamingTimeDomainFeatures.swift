/// `rms(y)` and `zeroCrossingRate(y)` (centred, `frameLength` / `hopLength`) of a signal that
/// arrives in pieces, frame by frame as soon as a frame's samples are known. The running
/// float64 energy sum and the crossing count are carried over the pieces exactly as the
/// one-shot prefix sums form them, so every value is the one-shot value bit for bit.
/// Memory: about `frameLength + hopLength` prefix values.
struct StreamingTimeDomainFeatures {
    let frameLength: Int, hopLength: Int, threshold: Float
    private var pad: Int { frameLength / 2 }
    /// Prefix sums at padded positions `base ..< base + energy.count` (entry `j`: the sum over
    /// padded samples before `base + j`): energies of the zero-padded signal, crossings of the
    /// edge-padded one (`zeroCrossingRate`'s prefix, which starts counting at position 1).
    private var energy: [Double] = [0], crossings: [Int] = [0]
    private var base = 0
    private var position = 0
    private var previousNegative = false
    private var first: Float?, last: Float = 0
    /// Samples pushed and frames handed out.
    private(set) var samples = 0, frames = 0

    init(frameLength: Int = 2048, hopLength: Int = 512, threshold: Float = 1e-10) {
        precondition(frameLength > 1 && hopLength > 0, "frameLength and hopLength must be positive")
        self.frameLength = frameLength
        self.hopLength = hopLength
        self.threshold = threshold
    }

    /// One padded sample: `crossingValue` for the crossing count, `power` its energy (0 for padding).
    private mutating func add(_ crossingValue: Float, _ power: Double) {
        let negative = crossingValue < -threshold   // |v| <= threshold counts as +0
        energy.append(energy[energy.count - 1] + power)
        crossings.append(position == 0 ? 0 : crossings[crossings.count - 1] + (negative != previousNegative ? 1 : 0))
        previousNegative = negative
        position += 1
    }

    /// Adds samples; `out(rms, zcr)` receives the frames they complete.
    mutating func push(_ y: UnsafeBufferPointer<Float>, _ out: ([Float], [Float]) throws -> Void) rethrows {
        guard let y0 = y.first else { return }
        if first == nil {
            first = y0
            for _ in 0 ..< pad { add(y0, 0) }
        }
        for v in y { add(v, Double(v * v)) }
        samples += y.count
        last = y[y.count - 1]
        try handOut(out)
    }

    /// Pads the end and hands out the remaining frames (`1 + samples / hopLength` in all).
    mutating func finish(_ out: ([Float], [Float]) throws -> Void) rethrows {
        guard first != nil else { return }
        for _ in 0 ..< pad { add(last, 0) }
        try handOut(out)
    }

    /// Hands out every frame whose `frameLength` padded samples have been added.
    private mutating func handOut(_ out: ([Float], [Float]) throws -> Void) rethrows {
        var rmsValues: [Float] = [], zcrValues: [Float] = []
        while frames * hopLength + frameLength <= position {
            let start = frames * hopLength - base
            let e = (energy[start + frameLength] - energy[start]) / Double(frameLength)
            rmsValues.append(Float(max(0, e).squareRoot()))
            zcrValues.append(Float(crossings[start + frameLength] - crossings[start + 1]) / Float(frameLength))
            frames += 1
        }
        let drop = frames * hopLength - base
        if drop > 0 {
            energy.removeFirst(drop)
            crossings.removeFirst(drop)
            base += drop
        }
        if !rmsValues.isEmpty { try out(rmsValues, zcrValues) }
    }
}
