#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The percussion sounds a drum line can use.
enum DrumSound: Sendable {
    case kick, snare, clap, rim, brush, closedHat, openHat, ride, crash, shaker
}

/// Ranges of the drum-kit parameters of a genre; `render` draws one kit per clip.
struct DrumKitRanges: Sendable {
    var kickStart: ClosedRange<Float> = 110 ... 160   // Hz at the hit
    var kickEnd: ClosedRange<Float> = 45 ... 60       // Hz after the sweep
    var kickDecay: ClosedRange<Float> = 0.15 ... 0.35 // s
    var kickClick: ClosedRange<Float> = 0.05 ... 0.3
    var snareTone: ClosedRange<Float> = 160 ... 240
    var snareDecay: ClosedRange<Float> = 0.08 ... 0.2
    var snareBright: ClosedRange<Float> = 0.4 ... 0.8 // high-pass amount of the noise
    var hatDecay: ClosedRange<Float> = 0.025 ... 0.06
    var cymbalPitch: ClosedRange<Float> = 0.9 ... 1.2 // scale of the metallic partials
}

/// Pre-rendered one-shot samples for a clip's kit: hits are added by copying.
struct DrumKit {
    var samples: [DrumSound: [Float]] = [:]

    init(_ r: DrumKitRanges, sampleRate sr: Float, dice: inout Dice) {
        var noise = dice.noise()
        let cymbalScale = dice.uniform(r.cymbalPitch)
        samples[.kick] = Self.kick(start: dice.uniform(r.kickStart), end: dice.uniform(r.kickEnd),
                                   decay: dice.uniform(r.kickDecay), click: dice.uniform(r.kickClick),
                                   sr: sr, noise: &noise)
        samples[.snare] = Self.snare(tone: dice.uniform(r.snareTone), decay: dice.uniform(r.snareDecay),
                                     bright: dice.uniform(r.snareBright), sr: sr, noise: &noise)
        samples[.clap] = Self.clap(sr: sr, noise: &noise)
        samples[.rim] = Self.rim(sr: sr)
        samples[.brush] = Self.brush(decay: dice.uniform(0.12 ... 0.22), sr: sr, noise: &noise)
        let hatDecay = dice.uniform(r.hatDecay)
        samples[.closedHat] = Self.metal(decay: hatDecay, scale: cymbalScale, noiseMix: 0.5, sr: sr, noise: &noise)
        samples[.openHat] = Self.metal(decay: hatDecay * 6, scale: cymbalScale, noiseMix: 0.5, sr: sr, noise: &noise)
        samples[.ride] = Self.metal(decay: dice.uniform(0.6 ... 1.1), scale: cymbalScale * 1.4, noiseMix: 0.25,
                                    sr: sr, noise: &noise)
        samples[.crash] = Self.metal(decay: dice.uniform(1.0 ... 1.8), scale: cymbalScale * 0.8, noiseMix: 0.8,
                                     sr: sr, noise: &noise)
        samples[.shaker] = Self.shaker(sr: sr, noise: &noise)
    }

    /// A sine whose pitch sweeps exponentially from `start` to `end` Hz (the classic
    /// analogue kick), with an exponential amplitude decay and a noise click.
    static func kick(start: Float, end: Float, decay: Float, click: Float, sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(decay * 5 * sr)
        var out = [Float](repeating: 0, count: n)
        var phase: Float = 0
        let sweepK = expf(-1 / (0.035 * sr)), ampK = expf(-1 / (decay * sr)), clickK = expf(-1 / (0.003 * sr))
        var sweep: Float = 1, amp: Float = 1, clickAmp = click
        for i in 0 ..< n {
            let f = end + (start - end) * sweep
            out[i] = amp * sinf(phase) + clickAmp * noise.next()
            phase += 2 * Float.pi * f / sr
            if phase > 2 * Float.pi { phase -= 2 * Float.pi }
            sweep *= sweepK; amp *= ampK; clickAmp *= clickK
        }
        return out
    }

    /// A tone plus high-passed noise with separate decays.
    static func snare(tone: Float, decay: Float, bright: Float, sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(decay * 5 * sr)
        var out = [Float](repeating: 0, count: n)
        let toneK = expf(-1 / (0.05 * sr)), noiseK = expf(-1 / (decay * sr))
        var ta: Float = 0.6, na: Float = 1, prev: Float = 0
        for i in 0 ..< n {
            let w = noise.next()
            let hp = w - bright * prev
            prev = w
            out[i] = ta * sinf(2 * Float.pi * tone * Float(i) / sr) + na * hp * 0.8
            ta *= toneK; na *= noiseK
        }
        return out
    }

    /// Three quick band-limited noise bursts, then a decaying tail.
    static func clap(sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(0.4 * sr)
        var out = [Float](repeating: 0, count: n)
        var lp: Float = 0, prev: Float = 0
        for i in 0 ..< n {
            let t = Float(i) / sr
            let burst = t < 0.03 ? expf(-fmodf(t, 0.01) / 0.003) : expf(-(t - 0.03) / 0.09)
            let w = noise.next()
            lp = 0.6 * lp + 0.4 * w
            out[i] = burst * (lp - prev) * 2.5
            prev = lp
        }
        return out
    }

    /// A short woody click (cross-stick).
    static func rim(sr: Float) -> [Float] {
        let n = Int(0.08 * sr)
        return (0 ..< n).map { i in
            let t = Float(i) / sr
            return expf(-t / 0.012) * (0.7 * sinf(2 * Float.pi * 1700 * t) + 0.5 * sinf(2 * Float.pi * 520 * t))
        }
    }

    /// A soft, low-passed noise swish with a slow attack.
    static func brush(decay: Float, sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(decay * 4 * sr)
        var out = [Float](repeating: 0, count: n)
        var lp: Float = 0
        for i in 0 ..< n {
            let t = Float(i) / sr
            let env = min(1, t / 0.015) * expf(-t / decay)
            lp = 0.7 * lp + 0.3 * noise.next()
            out[i] = env * lp * 1.5
        }
        return out
    }

    /// Six square-wave partials at inharmonic ratios plus noise, high-passed
    /// (the TR-808 cymbal recipe) with an exponential decay.
    static func metal(decay: Float, scale: Float, noiseMix: Float, sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(decay * 4 * sr)
        let freqs: [Float] = [205.3, 304.4, 369.6, 522.7, 540.0, 800.0].map { $0 * scale * 4 }
        var phases = [Float](repeating: 0, count: 6)
        var out = [Float](repeating: 0, count: n)
        let k = expf(-1 / (decay * sr))
        var amp: Float = 1, prev: Float = 0, prev2: Float = 0
        for i in 0 ..< n {
            var s: Float = 0
            for p in 0 ..< 6 {
                s += phases[p] < 0.5 ? 1 : -1
                phases[p] += freqs[p] / sr
                if phases[p] >= 1 { phases[p] -= 1 }
            }
            let x = (1 - noiseMix) * s / 6 + noiseMix * noise.next()
            // Second difference: a steep high-pass that keeps the metallic top.
            out[i] = amp * (x - 2 * prev + prev2) * 0.5
            prev2 = prev; prev = x
            amp *= k
        }
        return out
    }

    /// A short high-passed noise burst with a soft attack.
    static func shaker(sr: Float, noise: inout Noise) -> [Float] {
        let n = Int(0.09 * sr)
        var out = [Float](repeating: 0, count: n)
        var prev: Float = 0
        for i in 0 ..< n {
            let t = Float(i) / sr
            let w = noise.next()
            out[i] = min(1, t / 0.01) * expf(-t / 0.025) * (w - prev) * 0.6
            prev = w
        }
        return out
    }

    /// Adds one hit of `sound` at `time` seconds with `velocity`.
    func hit(_ sound: DrumSound, time: Float, velocity: Float, into out: UnsafeMutableBufferPointer<Float>, sampleRate: Float) {
        guard let s = samples[sound] else { return }
        let start = Int(time * sampleRate)
        guard start >= 0, start < out.count else { return }
        let n = min(s.count, out.count - start)
        s.withUnsafeBufferPointer { src in
            for i in 0 ..< n { out[start + i] += velocity * src[i] }
        }
    }
}
