#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// The sound of one pitched instrument: a harmonic profile played from a wavetable
/// with an attack/decay/sustain/release envelope, vibrato, detuned chorus and noise.
struct Timbre: Sendable {
    /// Amplitude of harmonic k+1 (index 0 is the fundamental).
    var harmonics: [Float]
    /// Linear attack time, seconds.
    var attack: Float
    /// Exponential decay time constant towards `sustain`, seconds.
    var decay: Float
    /// Sustain level (0...1) reached after the decay.
    var sustain: Float
    /// Exponential release time constant after the note ends, seconds.
    var release: Float
    /// Vibrato depth as a fraction of the frequency, and its rate in Hz.
    var vibratoDepth: Float = 0
    var vibratoRate: Float = 5
    /// Breath / bow noise level relative to the tone.
    var noise: Float = 0
    /// Detune in cents of a second, chorus voice (0: single voice).
    var detune: Float = 0
}

/// The range of timbres an instrument family can take; `draw` picks one for a clip.
struct InstrumentFamily: Sendable {
    /// Harmonic amplitudes fall as k^-slope.
    var slope: ClosedRange<Float>
    /// Gain of the even harmonics (1: saw-like, 0: square/clarinet-like).
    var evenGain: ClosedRange<Float>
    /// Number of harmonics.
    var count: ClosedRange<Int>
    /// A resonance (formant) boost: centre harmonic number range and gain.
    var formant: ClosedRange<Float> = 0 ... 0
    var formantGain: ClosedRange<Float> = 0 ... 0
    var attack: ClosedRange<Float>
    var decay: ClosedRange<Float>
    var sustain: ClosedRange<Float>
    var release: ClosedRange<Float>
    var vibratoDepth: ClosedRange<Float> = 0 ... 0
    var vibratoRate: ClosedRange<Float> = 4.5 ... 6.5
    var noise: ClosedRange<Float> = 0 ... 0
    var detune: ClosedRange<Float> = 0 ... 0

    func draw(_ dice: inout Dice) -> Timbre {
        let s = dice.uniform(slope), even = dice.uniform(evenGain)
        let n = dice.int(count)
        let fc = dice.uniform(formant), fg = dice.uniform(formantGain)
        var h = [Float](repeating: 0, count: n)
        for k in 1 ... n {
            var a = powf(Float(k), -s) * (k % 2 == 0 ? even : 1)
            if fc > 0 { a *= 1 + fg * expf(-powf((Float(k) - fc) / 2, 2)) }
            h[k - 1] = a * (1 + dice.jitter(0.25))
        }
        return Timbre(harmonics: h, attack: dice.uniform(attack), decay: dice.uniform(decay),
                      sustain: dice.uniform(sustain), release: dice.uniform(release),
                      vibratoDepth: dice.uniform(vibratoDepth), vibratoRate: dice.uniform(vibratoRate),
                      noise: dice.uniform(noise), detune: dice.uniform(detune))
    }
}

/// One note to play: start time and duration in seconds, MIDI pitch, velocity,
/// and an optional slide into the pitch from `glide` semitones away.
struct NoteEvent {
    var time: Float
    var duration: Float
    var midi: Float
    var velocity: Float
    var glide: Float = 0
}

/// Renders notes of one timbre, caching one band-limited wavetable per harmonic count.
final class Instrument {
    let timbre: Timbre
    let sampleRate: Float
    private var tables: [Int: [Float]] = [:]
    private var noise: Noise

    init(_ timbre: Timbre, sampleRate: Float, noise: Noise) {
        self.timbre = timbre
        self.sampleRate = sampleRate
        self.noise = noise
    }

    /// A table with the harmonics below 0.45 sr for fundamental `f0`, normalised to unit RMS.
    private func table(for f0: Float) -> [Float] {
        let limit = max(1, min(timbre.harmonics.count, Int(0.45 * sampleRate / f0)))
        if let t = tables[limit] { return t }
        var t = [Float](repeating: 0, count: tableSize + 1)
        var power: Float = 0
        sineTable.withUnsafeBufferPointer { sine in
            t.withUnsafeMutableBufferPointer { out in
                for k in 1 ... limit {
                    let a = timbre.harmonics[k - 1]
                    power += a * a / 2
                    let phase = (k * 37) & (tableSize - 1) // fixed phase offsets
                    for i in 0 ..< tableSize { out[i] += a * sine[(k * i + phase) & (tableSize - 1)] }
                }
            }
        }
        let g = power > 0 ? 1 / power.squareRoot() : 0
        for i in 0 ..< tableSize { t[i] *= g }
        t[tableSize] = t[0]
        tables[limit] = t
        return t
    }

    /// Adds `note` into `out` (the whole clip buffer); the release tail runs past `duration`.
    func play(_ note: NoteEvent, into out: UnsafeMutableBufferPointer<Float>) {
        let sr = sampleRate
        let start = Int(note.time * sr)
        guard start < out.count, note.duration > 0 else { return }
        let f0 = midiToHz(note.midi)
        let held = max(1, Int(note.duration * sr))
        let tail = Int(4 * timbre.release * sr) // -35 dB, then cut
        let end = min(out.count, start + held + tail)
        guard end > max(0, start) else { return }
        let table = self.table(for: f0)
        let size = Float(tableSize)
        let baseInc = f0 * size / sr
        let detuneRatio = timbre.detune > 0 ? powf(2, timbre.detune / 1200) : 0
        let attackN = max(1, Int(timbre.attack * sr))
        let attackInc = 1 / Float(attackN)
        let decayK = expf(-1 / max(1, timbre.decay * sr))
        let releaseK = expf(-1 / max(1, timbre.release * sr))
        let sustain = timbre.sustain
        let vibInc = timbre.vibratoRate * size / sr
        let vibDepth = timbre.vibratoDepth
        // The slide: frequency ratio 2^(glide/12) relaxing to 1 in about 60 ms.
        var slide = note.glide != 0 ? powf(2, note.glide / 12) - 1 : 0
        let slideK = expf(-1 / (0.02 * sr))
        let noiseLevel = timbre.noise
        let amp = note.velocity
        var phase: Float = 0, phase2: Float = size * 0.25, vib: Float = 0
        var decayLevel: Float = 1, releaseLevel: Float = 1, level: Float = 0
        var n1: Float = 0
        table.withUnsafeBufferPointer { tb in
            sineTable.withUnsafeBufferPointer { sine in
                let t = tb.baseAddress!, s = sine.baseAddress!
                for i in max(0, start) ..< end {
                    let j = i - start
                    if j < attackN {
                        level += attackInc
                    } else if j < held {
                        decayLevel *= decayK
                        level = sustain + (1 - sustain) * decayLevel
                    } else {
                        releaseLevel *= releaseK
                    }
                    let env = j < held ? level : level * releaseLevel
                    var inc = baseInc * (1 + slide)
                    slide *= slideK
                    if vibDepth > 0 {
                        inc *= 1 + vibDepth * tableLookup(s, vib)
                        vib += vibInc
                        if vib >= size { vib -= size }
                    }
                    var v = tableLookup(t, phase)
                    phase += inc
                    if phase >= size { phase -= size }
                    if detuneRatio > 0 {
                        v = 0.7 * (v + tableLookup(t, phase2))
                        phase2 += inc * detuneRatio
                        if phase2 >= size { phase2 -= size }
                    }
                    if noiseLevel > 0 {
                        n1 = 0.5 * n1 + 0.5 * noise.next()
                        v += noiseLevel * n1 * 3
                    }
                    out[i] += amp * env * v
                }
            }
        }
    }
}
