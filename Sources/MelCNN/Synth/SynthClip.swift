#if canImport(Glibc)
import Glibc
#else
import Foundation
#endif

/// Renders one clip of a genre: draws tempo, key, progression, kit, instruments and
/// mix inside the genre's ranges, sequences drums, bass, chords and melody on a
/// sixteenth grid with swing and humanisation, and mixes to mono in [-1, 1].
struct ClipRenderer {
    let style: GenreStyle
    let sampleRate: Float
    let count: Int
    var dice: Dice

    // Drawn per clip.
    private var stepDur: Float = 0, offset: Float = 0
    private var beatMap: [Float] = [0, 1, 2, 3]
    private var swing16: Float = 0
    private var key = 0
    private var scale: [Int] = []
    private var progression: [Chord] = []
    private var barsPerChord = 1
    private var bars = 0
    private var kickTimes: [Float] = []

    init(style: GenreStyle, seed: UInt64, seconds: Double, sampleRate: Int) {
        self.style = style
        self.sampleRate = Float(sampleRate)
        self.count = max(0, Int(seconds * Double(sampleRate)))
        self.dice = Dice(seed: seed)
    }

    /// The rendered clip, `seconds * sampleRate` samples.
    mutating func render() -> [Float] {
        let n = count
        guard n > 0 else { return [] }
        let bpm = dice.uniform(style.tempo)
        stepDur = 60 / bpm / 4
        let barDur = 16 * stepDur
        offset = -dice.uniform(0 ... barDur) // clips start anywhere in a bar
        bars = Int(Float(n) / sampleRate / barDur) + 3
        // Swung eighths move the "and" from 1/2 to 1/2 + d of the beat (d = swing8 / 2),
        // stretching the sixteenths around it piecewise linearly.
        let d = dice.uniform(style.swing8) / 2
        beatMap = [0, 4 * 0.25 * (0.5 + d) / 0.5, 4 * (0.5 + d), 4 * (0.5 + d + 0.25 * (0.5 - d) / 0.5)]
        swing16 = dice.uniform(style.swing16)
        key = dice.int(0 ... 11)
        scale = dice.pick(style.scales)
        progression = dice.pick(style.progressions)
        barsPerChord = dice.pick(style.barsPerChord)

        var drums = [Float](repeating: 0, count: n)
        var bass = [Float](repeating: 0, count: n)
        var accomp = [Float](repeating: 0, count: n)
        var lead = [Float](repeating: 0, count: n)
        var scratch = [Float](repeating: 0, count: n)
        drums.withUnsafeMutableBufferPointer { renderDrums($0) }
        accomp.withUnsafeMutableBufferPointer { acc in
            scratch.withUnsafeMutableBufferPointer { renderComps(into: acc, scratch: $0) }
        }
        bass.withUnsafeMutableBufferPointer { b in
            scratch.withUnsafeMutableBufferPointer { renderBass(into: b, scratch: $0) }
        }
        lead.withUnsafeMutableBufferPointer { l in
            scratch.withUnsafeMutableBufferPointer { renderLead(into: l, scratch: $0) }
        }
        if style.echo.upperBound > 0 {
            let level = dice.uniform(style.echo)
            let delay = stepDur * Float(dice.pick([3, 4, 6]))
            accomp.withUnsafeMutableBufferPointer {
                BufferFX.echo($0, delay: delay, feedback: dice.uniform(0.35 ... 0.55), mix: level, sampleRate: sampleRate)
            }
        }
        var mix = scratch
        let drumGain = dice.uniform(style.drumGain)
        for i in 0 ..< n { mix[i] = drumGain * drums[i] + bass[i] + accomp[i] + lead[i] }
        master(&mix)
        return mix
    }

    // MARK: Timing

    /// Start time in seconds of sixteenth `step` (0..<16) of `bar`, with swing.
    private func time(bar: Int, step: Int) -> Float {
        let beat = step / 4, sub = step % 4
        var t = offset + (Float(bar * 16 + beat * 4) + beatMap[sub]) * stepDur
        if sub % 2 == 1 { t += swing16 * stepDur }
        return t
    }

    private func chord(bar: Int) -> Chord { progression[(bar / barsPerChord) % progression.count] }

    /// The velocity of a pattern character, or nil for a rest.
    private mutating func velocity(_ c: Character) -> Float? {
        switch c {
        case "X": return 1
        case "x": return 0.8
        case "o": return 0.35
        case "?": return dice.chance(0.5) ? 0.6 : nil
        default: return nil
        }
    }

    // MARK: Parts

    private mutating func renderDrums(_ out: UnsafeMutableBufferPointer<Float>) {
        guard !style.drums.isEmpty else { return }
        let kit = DrumKit(style.kit, sampleRate: sampleRate, dice: &dice)
        let fill = Array("........x.x.xxxx")
        for line in style.drums where dice.chance(line.presence) {
            let pattern = Array(dice.pick(line.patterns))
            let gain = dice.uniform(line.gain)
            let isSnare = line.sound == .snare
            for bar in 0 ..< bars {
                let useFill = isSnare && style.fillEvery > 0 && bar % style.fillEvery == style.fillEvery - 1
                for step in 0 ..< 16 {
                    let c = useFill && step >= 8 ? fill[step] : pattern[step % pattern.count]
                    guard let v = velocity(c) else { continue }
                    let t = time(bar: bar, step: step) + dice.jitter(style.humanize)
                    let vel = gain * v * (1 + dice.jitter(0.12))
                    kit.hit(line.sound, time: t, velocity: vel, into: out, sampleRate: sampleRate)
                    if line.sound == .kick { kickTimes.append(t) }
                }
            }
        }
        if style.crashEvery > 0 {
            for bar in stride(from: 0, to: bars, by: style.crashEvery) {
                kit.hit(.crash, time: time(bar: bar, step: 0), velocity: 0.5, into: out, sampleRate: sampleRate)
            }
        }
        kickTimes.sort()
    }

    /// The MIDI note of pitch class `pc` in [low, low + 12).
    private func place(_ pc: Int, low: Int) -> Int { low + (((pc - low) % 12) + 12) % 12 }

    /// Soft-clips `buffer` with pre-gain `drive` (0: untouched), keeping its level comparable.
    private func distort(_ buffer: UnsafeMutableBufferPointer<Float>, drive: Float) {
        guard drive > 0 else { return }
        var peak: Float = 0
        for v in buffer { peak = max(peak, abs(v)) }
        guard peak > 0 else { return }
        let g = drive / peak
        for i in 0 ..< buffer.count { buffer[i] = softClip(g * buffer[i]) }
    }

    private mutating func renderComps(into out: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>) {
        for comp in style.comps where dice.chance(comp.presence) {
            scratch.update(repeating: 0)
            let inst = Instrument(comp.family.draw(&dice), sampleRate: sampleRate, noise: dice.noise())
            let pattern = Array(dice.pick(comp.patterns))
            let length = dice.uniform(comp.length) * stepDur
            let low = dice.int(comp.register)
            let strum = dice.uniform(comp.strum)
            var arp = 0
            for bar in 0 ..< bars {
                let ch = chord(bar: bar)
                let root = place(key + ch.root, low: low)
                var notes = ch.intervals.map { root + $0 }
                if comp.mode == .arpeggio { notes += notes.map { $0 + 12 } }
                for step in 0 ..< 16 {
                    guard let v = velocity(pattern[step % pattern.count]) else { continue }
                    let t = time(bar: bar, step: step) + dice.jitter(style.humanize)
                    let vel = v * (1 + dice.jitter(0.15)) * 0.5
                    switch comp.mode {
                    case .block:
                        let up = dice.chance(0.5)
                        for (i, note) in notes.enumerated() {
                            let k = up ? notes.count - 1 - i : i
                            inst.play(NoteEvent(time: t + Float(k) * strum, duration: length, midi: Float(note),
                                                velocity: vel), into: scratch)
                        }
                    case .arpeggio:
                        let note = notes[arp % notes.count]
                        arp += 1
                        inst.play(NoteEvent(time: t, duration: length, midi: Float(note), velocity: vel * 1.5),
                                  into: scratch)
                    }
                }
            }
            distort(scratch, drive: dice.uniform(comp.drive))
            normaliseRMS(scratch, to: 0.15 * dice.uniform(comp.gain))
            for i in 0 ..< out.count { out[i] += scratch[i] }
        }
    }

    private mutating func renderBass(into out: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>) {
        guard let style = style.bass else { return }
        scratch.update(repeating: 0)
        let inst = Instrument(style.family.draw(&dice), sampleRate: sampleRate, noise: dice.noise())
        let pattern = Array(dice.pick(style.patterns))
        let length = dice.uniform(style.length) * stepDur
        let low = dice.int(style.register)
        var alternate = false
        func play(_ t: Float, _ dur: Float, _ midi: Int, _ v: Float) {
            inst.play(NoteEvent(time: t, duration: dur, midi: Float(midi), velocity: v), into: scratch)
        }
        switch style.mode {
        case .followKick:
            for (i, t) in kickTimes.enumerated() {
                let next = i + 1 < kickTimes.count ? kickTimes[i + 1] : t + length
                let bar = max(0, Int(((t - offset) / (16 * stepDur)).rounded(.down)))
                let root = place(key + chord(bar: bar).root, low: low)
                play(t, max(stepDur, min(next - t, length * 2)), root, 0.8)
            }
        case .walking:
            for bar in 0 ..< bars {
                let ch = chord(bar: bar), nextRoot = place(key + chord(bar: bar + 1).root, low: low)
                let root = place(key + ch.root, low: low)
                for beat in 0 ..< 4 {
                    let note: Int
                    switch beat {
                    case 0: note = root
                    case 3: note = nextRoot + (dice.chance(0.5) ? 1 : -1)
                    default:
                        let tones = ch.intervals.map { root + $0 } + scale.map { place(key + $0, low: low) }
                        note = dice.pick(tones)
                    }
                    let t = time(bar: bar, step: beat * 4) + dice.jitter(self.style.humanize)
                    play(t, length, note, 0.8 * (1 + dice.jitter(0.1)))
                }
            }
        case .pattern, .octave, .rootFifth:
            for bar in 0 ..< bars {
                let root = place(key + chord(bar: bar).root, low: low)
                for step in 0 ..< 16 {
                    guard let v = velocity(pattern[step % pattern.count]) else { continue }
                    var note = root
                    switch style.mode {
                    case .octave: note = alternate ? root + 12 : root
                    case .rootFifth: note = alternate ? root + 7 - (root + 7 > low + 12 ? 12 : 0) : root
                    default: if dice.chance(0.12) { note = root + 7 } else if dice.chance(0.08) { note = root + 12 }
                    }
                    alternate.toggle()
                    let t = time(bar: bar, step: step) + dice.jitter(self.style.humanize)
                    play(t, length, note, v * (1 + dice.jitter(0.1)))
                }
            }
        }
        distort(scratch, drive: dice.uniform(style.drive))
        normaliseRMS(scratch, to: 0.15 * dice.uniform(style.gain))
        for i in 0 ..< out.count { out[i] += scratch[i] }
    }

    private mutating func renderLead(into out: UnsafeMutableBufferPointer<Float>, scratch: UnsafeMutableBufferPointer<Float>) {
        let style = self.style.lead
        guard dice.chance(style.presence) else { return }
        scratch.update(repeating: 0)
        let inst = Instrument(dice.pick(style.families).draw(&dice), sampleRate: sampleRate, noise: dice.noise())
        let grid = dice.pick(style.grid)
        let density = dice.uniform(style.density)
        let centre = place(key, low: dice.int(style.register) - 6)
        let span = scale.count + scale.count / 2
        var degree = 0
        var busyUntil: Float = -1e9
        for bar in stride(from: 0, to: bars, by: 2) where dice.chance(0.75) {
            for slot in 0 ..< 32 / grid {
                let b = bar + slot * grid / 16, step = (slot * grid) % 16
                let t = time(bar: b, step: step)
                guard t >= busyUntil, dice.chance(density) else { continue }
                degree += dice.pick([-2, -1, -1, 0, 1, 1, 2, 3, -3])
                degree = min(max(degree, -span), span)
                let octave = Int((Float(degree) / Float(scale.count)).rounded(.down))
                let pc = degree - octave * scale.count
                let midi = centre + 12 * octave + scale[pc]
                let dur = dice.pick(style.lengths) * Float(grid) * stepDur
                let glide = dice.chance(style.glide) ? dice.uniform(style.glideSize) : 0
                inst.play(NoteEvent(time: t + dice.jitter(self.style.humanize), duration: dur * 0.95, midi: Float(midi),
                                    velocity: 0.7 + 0.3 * dice.generator.nextUniform(), glide: glide), into: scratch)
                busyUntil = t + dur * 0.9
            }
        }
        distort(scratch, drive: dice.uniform(style.drive))
        normaliseRMS(scratch, to: 0.15 * dice.uniform(style.gain))
        for i in 0 ..< out.count { out[i] += scratch[i] }
    }

    private func normaliseRMS(_ x: UnsafeMutableBufferPointer<Float>, to target: Float) {
        var sum: Double = 0
        for v in x { sum += Double(v * v) }
        guard sum > 0 else { return }
        let g = target / Float((sum / Double(x.count)).squareRoot())
        for i in 0 ..< x.count { x[i] *= g }
    }

    // MARK: Master bus

    private mutating func master(_ mix: inout [Float]) {
        let sr = sampleRate
        let reverb = dice.uniform(style.reverb)
        let cutoff = dice.uniform(style.lowpass)
        let drive = dice.uniform(style.masterDrive)
        let loudness = dice.uniform(style.loudness)
        let hiss = powf(10, dice.uniform(style.hiss) / 20)
        let crackleRate = dice.uniform(style.crackle)
        let swell = dice.uniform(style.swell)
        let swellPeriod = dice.uniform(6 ... 15), swellPhase = dice.uniform(0 ... 6.28)
        var noise = dice.noise()
        mix.withUnsafeMutableBufferPointer { x in
            BufferFX.highPass(x, cutoff: 30, sampleRate: sr)
            BufferFX.reverb(x, mix: reverb, decay: 0.8, sampleRate: sr)
            BufferFX.lowPass(x, cutoff: cutoff, sampleRate: sr)
            normaliseRMS(x, to: 0.25)
            if swell > 0 {
                for i in 0 ..< x.count {
                    x[i] *= 1 + swell * sinf(2 * Float.pi * Float(i) / sr / swellPeriod + swellPhase)
                }
            }
            for i in 0 ..< x.count { x[i] = softClip(drive * x[i]) / drive }
            normaliseRMS(x, to: powf(10, loudness / 20))
            var peak: Float = 0
            for v in x { peak = max(peak, abs(v)) }
            if peak > 0.95 { for i in 0 ..< x.count { x[i] *= 0.95 / peak } }
            for i in 0 ..< x.count { x[i] += hiss * noise.next() }
            if crackleRate > 0 {
                let p = crackleRate / sr
                var i = 0
                while i < x.count {
                    if Float(noise.next() * 0.5 + 0.5) < p {
                        let a = 0.02 + 0.08 * abs(noise.next())
                        for k in 0 ..< min(8, x.count - i) { x[i + k] += a * (k % 2 == 0 ? 1 : -0.7) * powf(0.6, Float(k)) }
                    }
                    i += 1
                }
            }
            for i in 0 ..< x.count { x[i] = min(1, max(-1, x[i])) }
        }
    }
}
