/// A chord: root in semitones above the key, and its intervals above the root.
struct Chord: Sendable {
    var root: Int
    var intervals: [Int]
}

/// A line of the drum part: one sound, candidate 16-step patterns (`X` accent, `x`
/// normal, `o` ghost, `?` a hit half the time, `.` rest), a gain range and the
/// probability that a clip has this line at all.
struct DrumLine: Sendable {
    var sound: DrumSound
    var patterns: [String]
    var gain: ClosedRange<Float> = 0.8 ... 1.0
    var presence: Float = 1
}

/// How an accompaniment layer plays its chords.
enum CompMode: Sendable { case block, arpeggio }

/// A chordal accompaniment layer.
struct CompStyle: Sendable {
    var family: InstrumentFamily
    var patterns: [String]
    /// Note length in sixteenth steps.
    var length: ClosedRange<Float>
    var mode: CompMode = .block
    /// MIDI range of the lowest chord note.
    var register: ClosedRange<Int>
    /// Seconds between successive notes of a strummed chord.
    var strum: ClosedRange<Float> = 0 ... 0
    /// Pre-gain into a soft clipper (0: clean).
    var drive: ClosedRange<Float> = 0 ... 0
    var gain: ClosedRange<Float> = 0.6 ... 1.0
    var presence: Float = 1
}

/// How the bass line is built from the chords.
enum BassMode: Sendable { case pattern, walking, octave, rootFifth, followKick }

struct BassStyle: Sendable {
    var family: InstrumentFamily
    var mode: BassMode
    var patterns: [String]
    var length: ClosedRange<Float>
    /// MIDI range of the bass root.
    var register: ClosedRange<Int>
    var drive: ClosedRange<Float> = 0 ... 0
    var gain: ClosedRange<Float> = 0.7 ... 1.0
}

/// A melody: a random walk on the scale in phrases.
struct LeadStyle: Sendable {
    var families: [InstrumentFamily]
    /// Probability that a grid slot starts a note while a phrase is playing.
    var density: ClosedRange<Float>
    /// Grid of note starts in sixteenth steps (1, 2 or 4).
    var grid: [Int]
    /// Candidate note lengths in grid slots.
    var lengths: [Float]
    /// MIDI range of the melody centre.
    var register: ClosedRange<Int>
    /// Probability of a slide into a note, and its size in semitones.
    var glide: Float = 0
    var glideSize: ClosedRange<Float> = -2 ... -1
    var drive: ClosedRange<Float> = 0 ... 0
    var gain: ClosedRange<Float> = 0.5 ... 0.9
    var presence: Float = 1
}

/// A genre as a distribution over clips.
struct GenreStyle: Sendable {
    var name: String
    var tempo: ClosedRange<Float>
    /// Delay of off-beat eighths as a fraction of half a beat (1/3: triplet shuffle).
    var swing8: ClosedRange<Float> = 0 ... 0
    /// Delay of off-beat sixteenths as a fraction of a sixteenth.
    var swing16: ClosedRange<Float> = 0 ... 0
    /// Timing jitter in seconds.
    var humanize: Float
    var kit = DrumKitRanges()
    var drums: [DrumLine]
    var drumGain: ClosedRange<Float> = 0.8 ... 1.0
    /// Crash on the first beat every N bars (0: never).
    var crashEvery: Int = 0
    /// Snare fill in the last bar of every N bars (0: never).
    var fillEvery: Int = 0
    var scales: [[Int]]
    var progressions: [[Chord]]
    /// Bars per chord.
    var barsPerChord: [Int] = [1]
    var comps: [CompStyle]
    var bass: BassStyle?
    var lead: LeadStyle
    /// Master low-pass cutoff range (bandwidth), Hz.
    var lowpass: ClosedRange<Float>
    var reverb: ClosedRange<Float>
    /// Dub echo on the accompaniment (mix level).
    var echo: ClosedRange<Float> = 0 ... 0
    /// Target RMS level, dBFS.
    var loudness: ClosedRange<Float>
    /// Master drive into a soft clipper (compression).
    var masterDrive: ClosedRange<Float> = 1 ... 1
    /// Hiss level, dBFS.
    var hiss: ClosedRange<Float> = -80 ... -70
    /// Vinyl crackle clicks per second.
    var crackle: ClosedRange<Float> = 0 ... 0
    /// Depth of a slow loudness swell (0: steady).
    var swell: ClosedRange<Float> = 0 ... 0
}

// MARK: - Building blocks

enum Scale {
    static let major = [0, 2, 4, 5, 7, 9, 11]
    static let minor = [0, 2, 3, 5, 7, 8, 10]
    static let dorian = [0, 2, 3, 5, 7, 9, 10]
    static let mixolydian = [0, 2, 4, 5, 7, 9, 10]
    static let phrygian = [0, 1, 3, 5, 7, 8, 10]
    static let harmonicMinor = [0, 2, 3, 5, 7, 8, 11]
    static let blues = [0, 3, 5, 6, 7, 10]
    static let majorPentatonic = [0, 2, 4, 7, 9]
    static let minorPentatonic = [0, 3, 5, 7, 10]
}

private let maj = [0, 4, 7], mnr = [0, 3, 7], dom7 = [0, 4, 7, 10], maj7 = [0, 4, 7, 11]
private let min7 = [0, 3, 7, 10], min9 = [0, 3, 7, 10, 14], dom9 = [0, 4, 7, 10, 14]
private let power = [0, 7, 12], maj6 = [0, 4, 7, 9]

private func prog(_ chords: (Int, [Int])...) -> [Chord] { chords.map { Chord(root: $0.0, intervals: $0.1) } }

enum Family {
    static let piano = InstrumentFamily(slope: 1.3 ... 1.7, evenGain: 0.6 ... 1, count: 14 ... 20,
                                        attack: 0.002 ... 0.005, decay: 0.5 ... 1.2, sustain: 0 ... 0.05, release: 0.15 ... 0.3)
    static let electricPiano = InstrumentFamily(slope: 2.2 ... 2.8, evenGain: 0.8 ... 1, count: 6 ... 8,
                                                attack: 0.003 ... 0.006, decay: 0.6 ... 1.2, sustain: 0.05 ... 0.15,
                                                release: 0.2 ... 0.4, vibratoDepth: 0.001 ... 0.002)
    static let strings = InstrumentFamily(slope: 0.9 ... 1.2, evenGain: 0.8 ... 1, count: 16 ... 24, formant: 3 ... 6,
                                          formantGain: 0.5 ... 1.5, attack: 0.15 ... 0.4, decay: 1 ... 2,
                                          sustain: 0.85 ... 0.95, release: 0.3 ... 0.6, vibratoDepth: 0.003 ... 0.006,
                                          noise: 0.01 ... 0.03, detune: 6 ... 12)
    static let violin = InstrumentFamily(slope: 0.9 ... 1.2, evenGain: 0.8 ... 1, count: 16 ... 24, formant: 3 ... 6,
                                         formantGain: 0.5 ... 1.5, attack: 0.05 ... 0.12, decay: 1 ... 2,
                                         sustain: 0.85 ... 0.95, release: 0.1 ... 0.25, vibratoDepth: 0.005 ... 0.008,
                                         noise: 0.01 ... 0.03)
    static let fiddle = InstrumentFamily(slope: 0.8 ... 1.0, evenGain: 0.8 ... 1, count: 18 ... 24, formant: 4 ... 8,
                                         formantGain: 1 ... 2, attack: 0.02 ... 0.05, decay: 0.5 ... 1,
                                         sustain: 0.7 ... 0.85, release: 0.05 ... 0.12, vibratoDepth: 0.004 ... 0.007,
                                         noise: 0.02 ... 0.05)
    static let flute = InstrumentFamily(slope: 2.4 ... 3.0, evenGain: 0.5 ... 1, count: 4 ... 6,
                                        attack: 0.04 ... 0.08, decay: 1 ... 1, sustain: 0.85 ... 0.95, release: 0.08 ... 0.15,
                                        vibratoDepth: 0.004 ... 0.007, noise: 0.04 ... 0.08)
    static let cleanGuitar = InstrumentFamily(slope: 1.1 ... 1.4, evenGain: 0.5 ... 0.9, count: 12 ... 18, formant: 2 ... 4,
                                              formantGain: 0.3 ... 0.8, attack: 0.002 ... 0.004, decay: 0.3 ... 0.7,
                                              sustain: 0.02 ... 0.1, release: 0.08 ... 0.15)
    static let acousticGuitar = InstrumentFamily(slope: 1.0 ... 1.3, evenGain: 0.7 ... 1, count: 16 ... 22,
                                                 attack: 0.001 ... 0.003, decay: 0.4 ... 0.9, sustain: 0 ... 0.05,
                                                 release: 0.1 ... 0.2)
    static let banjo = InstrumentFamily(slope: 0.7 ... 0.9, evenGain: 0.8 ... 1, count: 18 ... 24, formant: 6 ... 10,
                                        formantGain: 1 ... 2, attack: 0.001 ... 0.002, decay: 0.1 ... 0.2,
                                        sustain: 0 ... 0, release: 0.05 ... 0.08)
    static let steelGuitar = InstrumentFamily(slope: 1.3 ... 1.6, evenGain: 0.7 ... 1, count: 10 ... 14,
                                              attack: 0.01 ... 0.02, decay: 0.8 ... 1.5, sustain: 0.5 ... 0.7,
                                              release: 0.1 ... 0.2, vibratoDepth: 0.002 ... 0.004)
    static let distortedGuitar = InstrumentFamily(slope: 1.0 ... 1.3, evenGain: 0.6 ... 0.9, count: 10 ... 16,
                                                  attack: 0.003 ... 0.008, decay: 1 ... 2, sustain: 0.6 ... 0.8,
                                                  release: 0.05 ... 0.1)
    static let organ = InstrumentFamily(slope: 1.8 ... 2.4, evenGain: 1 ... 1, count: 8 ... 8, formant: 3 ... 4,
                                        formantGain: 0.5 ... 1, attack: 0.005 ... 0.01, decay: 1 ... 1,
                                        sustain: 0.9 ... 1, release: 0.03 ... 0.06, vibratoDepth: 0.002 ... 0.004,
                                        vibratoRate: 6 ... 7)
    static let sax = InstrumentFamily(slope: 0.8 ... 1.1, evenGain: 0.3 ... 0.6, count: 12 ... 18, formant: 2.5 ... 4,
                                      formantGain: 1 ... 2, attack: 0.03 ... 0.06, decay: 0.5 ... 1,
                                      sustain: 0.7 ... 0.85, release: 0.05 ... 0.1, vibratoDepth: 0.003 ... 0.006,
                                      noise: 0.05 ... 0.1)
    static let synthLead = InstrumentFamily(slope: 0.95 ... 1.05, evenGain: 0.9 ... 1, count: 20 ... 24,
                                            attack: 0.005 ... 0.02, decay: 0.3 ... 0.6, sustain: 0.6 ... 0.8,
                                            release: 0.05 ... 0.15, vibratoDepth: 0.002 ... 0.004, detune: 8 ... 15)
    static let voice = InstrumentFamily(slope: 1.6 ... 2.0, evenGain: 0.8 ... 1, count: 10 ... 14, formant: 2 ... 5,
                                        formantGain: 1.5 ... 3, attack: 0.02 ... 0.05, decay: 0.5 ... 1,
                                        sustain: 0.7 ... 0.9, release: 0.08 ... 0.15, vibratoDepth: 0.004 ... 0.008,
                                        noise: 0.01 ... 0.03)
    static let synthPad = InstrumentFamily(slope: 1.4 ... 1.9, evenGain: 0.9 ... 1, count: 10 ... 16,
                                           attack: 0.2 ... 0.5, decay: 1 ... 2, sustain: 0.9 ... 1, release: 0.4 ... 0.8,
                                           detune: 10 ... 20)
    static let bell = InstrumentFamily(slope: 2.2 ... 2.8, evenGain: 0.3 ... 0.7, count: 5 ... 8, formant: 3 ... 5,
                                       formantGain: 1 ... 2, attack: 0.001 ... 0.002, decay: 0.4 ... 0.8,
                                       sustain: 0 ... 0, release: 0.2 ... 0.3)
    static let electricBass = InstrumentFamily(slope: 1.6 ... 2.1, evenGain: 0.6 ... 0.9, count: 10 ... 14,
                                               attack: 0.004 ... 0.008, decay: 0.4 ... 0.8, sustain: 0.25 ... 0.4,
                                               release: 0.04 ... 0.08)
    static let uprightBass = InstrumentFamily(slope: 2.2 ... 2.8, evenGain: 0.7 ... 1, count: 6 ... 9,
                                              attack: 0.006 ... 0.012, decay: 0.25 ... 0.45, sustain: 0.02 ... 0.08,
                                              release: 0.05 ... 0.1)
    static let subBass = InstrumentFamily(slope: 3.0 ... 3.5, evenGain: 1 ... 1, count: 2 ... 3,
                                          attack: 0.003 ... 0.006, decay: 0.6 ... 1.4, sustain: 0.3 ... 0.5,
                                          release: 0.08 ... 0.15)
    static let synthBass = InstrumentFamily(slope: 1.0 ... 1.2, evenGain: 0.8 ... 1, count: 14 ... 20,
                                            attack: 0.003 ... 0.004, decay: 0.15 ... 0.3, sustain: 0.3 ... 0.5,
                                            release: 0.03 ... 0.05)
    static let cello = InstrumentFamily(slope: 1.0 ... 1.3, evenGain: 0.8 ... 1, count: 12 ... 18, formant: 2 ... 4,
                                        formantGain: 0.5 ... 1.5, attack: 0.08 ... 0.2, decay: 1 ... 2,
                                        sustain: 0.8 ... 0.9, release: 0.2 ... 0.4, vibratoDepth: 0.003 ... 0.005,
                                        noise: 0.01 ... 0.02)
}

// MARK: - The ten genres

extension GenreStyle {
    /// The ten GTZAN genre names, in the order `melcnn synth --genres N` takes them.
    static let genreNames = ["blues", "classical", "country", "disco", "hiphop",
                             "jazz", "metal", "pop", "reggae", "rock"]

    /// The style of each genre, keyed by its GTZAN name.
    static let all: [GenreStyle] = [blues, classical, country, disco, hiphop, jazz, metal, pop, reggae, rock]

    static let blues = GenreStyle(
        name: "blues", tempo: 66 ... 108, swing8: 0.25 ... 0.33, humanize: 0.008,
        kit: DrumKitRanges(kickDecay: 0.2 ... 0.35, snareDecay: 0.1 ... 0.2),
        drums: [
            DrumLine(sound: .kick, patterns: ["x.......x.......", "x.....x.x.......", "x.......x.....x."]),
            DrumLine(sound: .snare, patterns: ["....x.......x...", "....x..o....x..o"], gain: 0.6 ... 0.85),
            DrumLine(sound: .ride, patterns: ["x.x.x.x.x.x.x.x."], gain: 0.3 ... 0.5, presence: 0.5),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x.", "x.o.x.o.x.o.x.o."], gain: 0.4 ... 0.6),
        ],
        drumGain: 0.6 ... 0.85, fillEvery: 0,
        scales: [Scale.blues, Scale.minorPentatonic, Scale.mixolydian],
        progressions: [
            prog((0, dom7), (0, dom7), (0, dom7), (0, dom7), (5, dom7), (5, dom7), (0, dom7), (0, dom7),
                 (7, dom7), (5, dom7), (0, dom7), (7, dom7)),
            prog((0, dom7), (5, dom7), (0, dom7), (0, dom7), (5, dom7), (5, dom7), (0, dom7), (0, dom7),
                 (7, dom7), (5, dom7), (0, dom7), (0, dom7)),
            prog((0, dom9), (5, dom9), (0, dom9), (7, dom9)),
        ],
        comps: [
            CompStyle(family: Family.cleanGuitar, patterns: ["x.x.x.x.x.x.x.x.", "x.x...x.x.x...x."], length: 1.2 ... 1.8,
                      register: 45 ... 52, strum: 0.008 ... 0.02, drive: 0 ... 0.8, gain: 0.5 ... 0.8),
            CompStyle(family: Family.piano, patterns: ["x.x.x.x.x.x.x.x.", "..x...x...x...x."], length: 1.5 ... 2,
                      register: 52 ... 58, gain: 0.4 ... 0.7, presence: 0.5),
        ],
        bass: BassStyle(family: Family.electricBass, mode: .walking, patterns: ["x...x...x...x..."], length: 3 ... 3.8,
                        register: 36 ... 43),
        lead: LeadStyle(families: [Family.cleanGuitar, Family.steelGuitar], density: 0.4 ... 0.7, grid: [2],
                        lengths: [1, 1, 2, 3], register: 60 ... 70, glide: 0.5, glideSize: -2 ... -1,
                        drive: 1 ... 2.5, gain: 0.5 ... 0.8),
        lowpass: 4500 ... 7500, reverb: 0.15 ... 0.3, loudness: -21 ... -16, masterDrive: 1 ... 1.4,
        hiss: -52 ... -42)

    static let classical = GenreStyle(
        name: "classical", tempo: 56 ... 112, humanize: 0.018,
        drums: [],
        scales: [Scale.major, Scale.minor, Scale.harmonicMinor],
        progressions: [
            prog((0, maj), (5, maj), (7, dom7), (0, maj)),
            prog((0, mnr), (5, mnr), (7, dom7), (0, mnr)),
            prog((0, maj), (9, mnr), (5, maj), (7, maj)),
            prog((0, maj), (7, maj), (9, mnr), (4, mnr), (5, maj), (0, maj), (5, maj), (7, dom7)),
        ],
        barsPerChord: [1, 2],
        comps: [
            CompStyle(family: Family.strings, patterns: ["x..............."], length: 15 ... 16,
                      register: 48 ... 55, gain: 0.5 ... 0.9, presence: 0.7),
            CompStyle(family: Family.piano, patterns: ["xxxxxxxxxxxxxxxx", "x.x.x.x.x.x.x.x.", "x..x..x..x..x..."],
                      length: 2 ... 4, mode: .arpeggio, register: 48 ... 60, gain: 0.5 ... 0.9, presence: 0.6),
        ],
        bass: BassStyle(family: Family.cello, mode: .pattern, patterns: ["x...............", "x.......x......."],
                        length: 7 ... 15, register: 36 ... 43, gain: 0.4 ... 0.7),
        lead: LeadStyle(families: [Family.violin, Family.flute], density: 0.5 ... 0.8, grid: [2, 4],
                        lengths: [1, 1, 2, 2, 4], register: 67 ... 79, gain: 0.5 ... 0.9, presence: 0.85),
        lowpass: 6000 ... 10000, reverb: 0.35 ... 0.6, loudness: -30 ... -22, hiss: -72 ... -58,
        swell: 0.3 ... 0.7)

    static let country = GenreStyle(
        name: "country", tempo: 92 ... 136, swing8: 0 ... 0.08, humanize: 0.006,
        kit: DrumKitRanges(kickDecay: 0.12 ... 0.22, snareDecay: 0.06 ... 0.12),
        drums: [
            DrumLine(sound: .kick, patterns: ["x.......x.......", "x...x...x...x..."], gain: 0.6 ... 0.8),
            DrumLine(sound: .snare, patterns: ["....x.......x..."], gain: 0.5 ... 0.7, presence: 0.6),
            DrumLine(sound: .rim, patterns: ["....x.......x..."], gain: 0.5 ... 0.8, presence: 0.4),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x."], gain: 0.3 ... 0.5, presence: 0.6),
            DrumLine(sound: .shaker, patterns: ["xoxoxoxoxoxoxoxo"], gain: 0.4 ... 0.6, presence: 0.5),
        ],
        drumGain: 0.55 ... 0.8, fillEvery: 8,
        scales: [Scale.majorPentatonic, Scale.major, Scale.mixolydian],
        progressions: [
            prog((0, maj), (5, maj), (7, maj), (0, maj)),
            prog((0, maj), (7, maj), (5, maj), (0, maj)),
            prog((0, maj), (0, maj), (5, maj), (7, dom7)),
        ],
        barsPerChord: [1, 2],
        comps: [
            CompStyle(family: Family.acousticGuitar, patterns: ["x.x.x.x.x.x.x.x.", "x.xxx.x.x.xxx.x."], length: 1.5 ... 3,
                      register: 50 ... 57, strum: 0.012 ... 0.025, gain: 0.6 ... 0.9),
            CompStyle(family: Family.banjo, patterns: ["xxxxxxxxxxxxxxxx"], length: 1 ... 2, mode: .arpeggio,
                      register: 60 ... 67, gain: 0.4 ... 0.7, presence: 0.5),
        ],
        bass: BassStyle(family: Family.electricBass, mode: .rootFifth, patterns: ["x...x...x...x...", "x.......x......."],
                        length: 2 ... 3.5, register: 36 ... 43),
        lead: LeadStyle(families: [Family.fiddle, Family.steelGuitar], density: 0.4 ... 0.7, grid: [2],
                        lengths: [1, 2, 2, 4], register: 64 ... 74, glide: 0.35, gain: 0.5 ... 0.8),
        lowpass: 7000 ... 10000, reverb: 0.1 ... 0.2, loudness: -20 ... -15, masterDrive: 1 ... 1.3,
        hiss: -70 ... -58)

    static let disco = GenreStyle(
        name: "disco", tempo: 110 ... 130, swing16: 0 ... 0.06, humanize: 0.002,
        kit: DrumKitRanges(kickStart: 120 ... 170, kickDecay: 0.15 ... 0.28, hatDecay: 0.02 ... 0.04),
        drums: [
            DrumLine(sound: .kick, patterns: ["x...x...x...x..."], gain: 0.9 ... 1),
            DrumLine(sound: .clap, patterns: ["....x.......x..."], gain: 0.6 ... 0.8, presence: 0.6),
            DrumLine(sound: .snare, patterns: ["....x.......x..."], gain: 0.6 ... 0.8, presence: 0.6),
            DrumLine(sound: .openHat, patterns: ["..x...x...x...x."], gain: 0.5 ... 0.7),
            DrumLine(sound: .closedHat, patterns: ["xoxoxoxoxoxoxoxo", "x.xxx.xxx.xxx.xx"], gain: 0.35 ... 0.55,
                     presence: 0.7),
        ],
        drumGain: 0.8 ... 1, crashEvery: 8,
        scales: [Scale.minor, Scale.dorian, Scale.major],
        progressions: [
            prog((0, min7), (5, min7)),
            prog((0, min7), (10, dom7)),
            prog((0, maj7), (2, min7)),
            prog((0, min9), (0, min9), (5, dom9), (5, dom9)),
        ],
        comps: [
            CompStyle(family: Family.strings, patterns: ["x.......x......."], length: 7 ... 8,
                      register: 57 ... 64, gain: 0.4 ... 0.7, presence: 0.7),
            CompStyle(family: Family.cleanGuitar, patterns: ["x.ox.ox.x.ox.ox.", ".x.x.x.x.x.x.x.x"], length: 0.5 ... 0.8,
                      register: 57 ... 64, gain: 0.5 ... 0.8, presence: 0.7),
        ],
        bass: BassStyle(family: Family.synthBass, mode: .octave, patterns: ["x.x.x.x.x.x.x.x."], length: 1.2 ... 1.8,
                        register: 36 ... 43, gain: 0.8 ... 1),
        lead: LeadStyle(families: [Family.synthLead, Family.strings, Family.voice], density: 0.3 ... 0.6, grid: [2],
                        lengths: [1, 2, 2, 4], register: 67 ... 77, gain: 0.4 ... 0.7, presence: 0.8),
        lowpass: 9000 ... 11000, reverb: 0.15 ... 0.25, loudness: -15 ... -11, masterDrive: 1.4 ... 2.2,
        hiss: -85 ... -75)

    static let hiphop = GenreStyle(
        name: "hiphop", tempo: 78 ... 98, swing16: 0.1 ... 0.28, humanize: 0.002,
        kit: DrumKitRanges(kickStart: 80 ... 120, kickEnd: 38 ... 50, kickDecay: 0.35 ... 0.7,
                           snareDecay: 0.12 ... 0.25, snareBright: 0.2 ... 0.5),
        drums: [
            DrumLine(sound: .kick, patterns: ["x......x..x.....", "x.........x..x..", "x..x......x.....",
                                              "x.x.......x..x.."], gain: 0.9 ... 1),
            DrumLine(sound: .snare, patterns: ["....x.......x..."], gain: 0.8 ... 1, presence: 0.6),
            DrumLine(sound: .clap, patterns: ["....x.......x..."], gain: 0.8 ... 1, presence: 0.6),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x.", "xxxxxxxxxxxxxxxx", "xoxoxoxoxoxoxoxo"],
                     gain: 0.35 ... 0.6),
        ],
        drumGain: 0.9 ... 1,
        scales: [Scale.minor, Scale.minorPentatonic, Scale.dorian, Scale.phrygian],
        progressions: [
            prog((0, min7)),
            prog((0, min7), (8, maj7)),
            prog((0, min9), (5, min7)),
            prog((0, min7), (10, maj), (8, maj7), (8, maj7)),
        ],
        barsPerChord: [1, 2],
        comps: [
            CompStyle(family: Family.electricPiano, patterns: ["x...............", "x.......x.......", "x..x..x........."],
                      length: 4 ... 12, register: 55 ... 62, gain: 0.4 ... 0.7, presence: 0.8),
        ],
        bass: BassStyle(family: Family.subBass, mode: .followKick, patterns: ["x..............."], length: 2 ... 6,
                        register: 31 ... 38, gain: 0.9 ... 1.1),
        lead: LeadStyle(families: [Family.bell, Family.electricPiano, Family.flute], density: 0.2 ... 0.45, grid: [2, 4],
                        lengths: [1, 2], register: 67 ... 79, gain: 0.3 ... 0.6, presence: 0.7),
        lowpass: 3500 ... 6500, reverb: 0.04 ... 0.12, loudness: -15 ... -10, masterDrive: 1.3 ... 2,
        hiss: -50 ... -40, crackle: 3 ... 12)

    static let jazz = GenreStyle(
        name: "jazz", tempo: 104 ... 200, swing8: 0.2 ... 0.33, humanize: 0.01,
        kit: DrumKitRanges(kickDecay: 0.15 ... 0.25, hatDecay: 0.03 ... 0.05),
        drums: [
            DrumLine(sound: .ride, patterns: ["x...x.x.x...x.x."], gain: 0.5 ... 0.8),
            DrumLine(sound: .closedHat, patterns: ["....x.......x..."], gain: 0.4 ... 0.6),
            DrumLine(sound: .kick, patterns: ["o...o...o...o...", "o.........?....."], gain: 0.4 ... 0.6),
            DrumLine(sound: .brush, patterns: ["..?...?.?..?...?", "xoxoxoxoxoxoxoxo"], gain: 0.4 ... 0.7, presence: 0.6),
            DrumLine(sound: .snare, patterns: ["......o.....?..."], gain: 0.3 ... 0.5, presence: 0.5),
        ],
        drumGain: 0.5 ... 0.75,
        scales: [Scale.dorian, Scale.mixolydian, Scale.major],
        progressions: [
            prog((2, min7), (7, dom7), (0, maj7), (0, maj7)),
            prog((0, maj7), (9, min7), (2, min7), (7, dom9)),
            prog((2, min7), (7, dom9), (0, maj6), (9, dom7)),
            prog((0, min7), (5, dom7), (10, maj7), (3, maj7)),
        ],
        comps: [
            CompStyle(family: Family.piano, patterns: ["...x.....x....x.", "x.....x...?..x..", "..x.....?..x...."],
                      length: 1 ... 3, register: 50 ... 58, gain: 0.5 ... 0.8),
        ],
        bass: BassStyle(family: Family.uprightBass, mode: .walking, patterns: ["x...x...x...x..."], length: 3.5 ... 4,
                        register: 36 ... 43, gain: 0.8 ... 1),
        lead: LeadStyle(families: [Family.sax, Family.sax, Family.flute], density: 0.55 ... 0.85, grid: [2],
                        lengths: [1, 1, 1, 2, 3], register: 62 ... 72, glide: 0.15, gain: 0.5 ... 0.8, presence: 0.85),
        lowpass: 5000 ... 9000, reverb: 0.2 ... 0.35, loudness: -25 ... -18, hiss: -66 ... -52,
        swell: 0.1 ... 0.3)

    static let metal = GenreStyle(
        name: "metal", tempo: 140 ... 200, humanize: 0.003,
        kit: DrumKitRanges(kickStart: 130 ... 180, kickDecay: 0.08 ... 0.15, kickClick: 0.3 ... 0.6,
                           snareDecay: 0.1 ... 0.18, snareBright: 0.6 ... 0.9),
        drums: [
            DrumLine(sound: .kick, patterns: ["xxxxxxxxxxxxxxxx", "x.x.x.x.x.x.x.x.", "xx.xxx.xxx.xxx.x"], gain: 0.8 ... 1),
            DrumLine(sound: .snare, patterns: ["....x.......x...", "..x...x...x...x."], gain: 0.8 ... 1),
            DrumLine(sound: .crash, patterns: ["x.x.x.x.x.x.x.x.", "x...x...x...x..."], gain: 0.25 ... 0.45, presence: 0.6),
            DrumLine(sound: .ride, patterns: ["x.x.x.x.x.x.x.x."], gain: 0.3 ... 0.5, presence: 0.4),
        ],
        drumGain: 0.7 ... 0.9, crashEvery: 4, fillEvery: 8,
        scales: [Scale.phrygian, Scale.minor, Scale.harmonicMinor],
        progressions: [
            prog((0, power), (1, power), (0, power), (10, power)),
            prog((0, power), (8, power), (10, power), (0, power)),
            prog((0, power), (5, power), (0, power), (7, power)),
            prog((0, power), (0, power), (3, power), (1, power)),
        ],
        comps: [
            CompStyle(family: Family.distortedGuitar, patterns: ["xxxxxxxxxxxxxxxx", "xxx.xxx.xx.xxx.x", "x.xxx.xxx.xxx.xx"],
                      length: 0.6 ... 0.9, register: 38 ... 47, drive: 6 ... 14, gain: 0.8 ... 1),
        ],
        bass: BassStyle(family: Family.electricBass, mode: .pattern, patterns: ["x.x.x.x.x.x.x.x.", "xxxxxxxxxxxxxxxx"],
                        length: 0.8 ... 1.6, register: 28 ... 35, drive: 1 ... 3, gain: 0.6 ... 0.9),
        lead: LeadStyle(families: [Family.distortedGuitar], density: 0.5 ... 0.9, grid: [1, 2], lengths: [1, 1, 2],
                        register: 64 ... 76, glide: 0.2, drive: 4 ... 8, gain: 0.4 ... 0.7, presence: 0.5),
        lowpass: 9000 ... 11000, reverb: 0.05 ... 0.15, loudness: -12 ... -9, masterDrive: 1.8 ... 3,
        hiss: -75 ... -65)

    static let pop = GenreStyle(
        name: "pop", tempo: 94 ... 126, swing16: 0 ... 0.06, humanize: 0.002,
        kit: DrumKitRanges(kickDecay: 0.18 ... 0.3),
        drums: [
            DrumLine(sound: .kick, patterns: ["x.......x.......", "x......xx.......", "x...x...x...x...", "x.....x...x....."],
                     gain: 0.85 ... 1),
            DrumLine(sound: .clap, patterns: ["....x.......x..."], gain: 0.7 ... 0.9, presence: 0.6),
            DrumLine(sound: .snare, patterns: ["....x.......x..."], gain: 0.7 ... 0.9, presence: 0.6),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x.", "x.xxx.xxx.xxx.xx"], gain: 0.35 ... 0.55),
            DrumLine(sound: .shaker, patterns: ["..x...x...x...x."], gain: 0.4 ... 0.6, presence: 0.3),
        ],
        drumGain: 0.75 ... 0.95, crashEvery: 8, fillEvery: 8,
        scales: [Scale.major, Scale.majorPentatonic],
        progressions: [
            prog((0, maj), (7, maj), (9, mnr), (5, maj)),
            prog((9, mnr), (5, maj), (0, maj), (7, maj)),
            prog((0, maj), (9, mnr), (5, maj), (7, maj)),
            prog((5, maj), (0, maj), (7, maj), (9, mnr)),
        ],
        comps: [
            CompStyle(family: Family.synthPad, patterns: ["x..............."], length: 15 ... 16,
                      register: 55 ... 62, gain: 0.4 ... 0.7, presence: 0.7),
            CompStyle(family: Family.piano, patterns: ["x.x.x.x.x.x.x.x.", "x..x..x...x..x.."], length: 1.5 ... 2.5,
                      register: 55 ... 62, gain: 0.5 ... 0.8, presence: 0.6),
        ],
        bass: BassStyle(family: Family.synthBass, mode: .pattern, patterns: ["x.x.x.x.x.x.x.x.", "x..x..x.x..x..x."],
                        length: 1.5 ... 2.5, register: 33 ... 40),
        lead: LeadStyle(families: [Family.voice, Family.synthLead], density: 0.45 ... 0.75, grid: [2],
                        lengths: [1, 1, 2, 3], register: 64 ... 74, glide: 0.15, gain: 0.5 ... 0.8),
        lowpass: 8000 ... 11000, reverb: 0.15 ... 0.3, loudness: -14 ... -11, masterDrive: 1.4 ... 2.2,
        hiss: -85 ... -75)

    static let reggae = GenreStyle(
        name: "reggae", tempo: 64 ... 92, swing16: 0.05 ... 0.15, humanize: 0.006,
        kit: DrumKitRanges(kickDecay: 0.2 ... 0.35, snareTone: 220 ... 320, snareDecay: 0.06 ... 0.12),
        drums: [
            DrumLine(sound: .kick, patterns: ["........x.......", "x.......x......."], gain: 0.8 ... 1),
            DrumLine(sound: .rim, patterns: ["........x.......", "....x.......x..."], gain: 0.7 ... 0.9),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x.", "..x...x...x...x.", "x.xxx.xxx.xxx.xx"],
                     gain: 0.35 ... 0.55),
        ],
        drumGain: 0.7 ... 0.9,
        scales: [Scale.minor, Scale.major, Scale.dorian],
        progressions: [
            prog((0, maj), (5, maj)),
            prog((0, mnr), (5, mnr)),
            prog((0, maj), (7, maj)),
            prog((0, mnr), (10, maj)),
        ],
        barsPerChord: [1, 2],
        comps: [
            CompStyle(family: Family.organ, patterns: ["..x...x...x...x.", "..x...x...x...xx"], length: 0.6 ... 0.9,
                      register: 60 ... 67, gain: 0.5 ... 0.8),
            CompStyle(family: Family.cleanGuitar, patterns: ["..x...x...x...x."], length: 0.4 ... 0.7,
                      register: 62 ... 69, gain: 0.4 ... 0.7, presence: 0.6),
        ],
        bass: BassStyle(family: Family.subBass, mode: .pattern, patterns: ["x..x..x...x.x...", "x.....x.x..x....",
                                                                          "x...x..xx......."],
                        length: 1.5 ... 3, register: 33 ... 40, gain: 0.9 ... 1.1),
        lead: LeadStyle(families: [Family.organ, Family.flute], density: 0.2 ... 0.4, grid: [2, 4], lengths: [1, 2],
                        register: 67 ... 76, gain: 0.3 ... 0.6, presence: 0.6),
        lowpass: 5000 ... 8000, reverb: 0.1 ... 0.2, echo: 0.2 ... 0.4, loudness: -18 ... -14,
        masterDrive: 1.1 ... 1.5, hiss: -62 ... -52)

    static let rock = GenreStyle(
        name: "rock", tempo: 100 ... 150, swing8: 0 ... 0.05, humanize: 0.005,
        kit: DrumKitRanges(kickDecay: 0.15 ... 0.25, snareDecay: 0.12 ... 0.22),
        drums: [
            DrumLine(sound: .kick, patterns: ["x.......x.x.....", "x.....x.x.......", "x.......x......."], gain: 0.85 ... 1),
            DrumLine(sound: .snare, patterns: ["....x.......x...", "....x.......x..o"], gain: 0.85 ... 1),
            DrumLine(sound: .closedHat, patterns: ["x.x.x.x.x.x.x.x.", "X.x.X.x.X.x.X.x."], gain: 0.4 ... 0.6,
                     presence: 0.7),
            DrumLine(sound: .ride, patterns: ["x.x.x.x.x.x.x.x."], gain: 0.35 ... 0.5, presence: 0.3),
        ],
        drumGain: 0.75 ... 0.95, crashEvery: 4, fillEvery: 8,
        scales: [Scale.minorPentatonic, Scale.major, Scale.mixolydian],
        progressions: [
            prog((0, power), (5, power), (7, power), (5, power)),
            prog((0, maj), (10, maj), (5, maj), (0, maj)),
            prog((0, mnr), (8, maj), (10, maj), (0, mnr)),
            prog((0, power), (3, power), (5, power), (0, power)),
        ],
        comps: [
            CompStyle(family: Family.distortedGuitar, patterns: ["x.x.x.x.x.x.x.x.", "x.x.x.xxx.x.x.xx", "x..x..x.x..x..x."],
                      length: 1.6 ... 2, register: 43 ... 52, drive: 1.5 ... 4, gain: 0.7 ... 0.95),
        ],
        bass: BassStyle(family: Family.electricBass, mode: .pattern, patterns: ["x.x.x.x.x.x.x.x."], length: 1.5 ... 2,
                        register: 31 ... 38, gain: 0.7 ... 0.9),
        lead: LeadStyle(families: [Family.distortedGuitar, Family.voice], density: 0.35 ... 0.6, grid: [2],
                        lengths: [1, 2, 2, 4], register: 62 ... 72, glide: 0.3, drive: 1.5 ... 3.5,
                        gain: 0.4 ... 0.7, presence: 0.6),
        lowpass: 7500 ... 10000, reverb: 0.1 ... 0.2, loudness: -15 ... -11, masterDrive: 1.3 ... 2,
        hiss: -72 ... -62)
}
