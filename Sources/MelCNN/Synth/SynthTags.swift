import Audio
import Foundation

/// Multi-label synthetic music for tagging (`melcnn synth --tags`): each clip is the pop
/// style's building blocks (drum lines, bass, piano and string comps, a lead line, the master
/// bus) switched on and off and moved in tempo and register, and carries one tag per choice.
///
/// Tags (`tagNames`), several per clip, drawn independently from the clip's seed:
/// - instruments: `drums`, `bass`, `piano`, `strings`, `lead` (a loud synth melody), each
///   present with probability 1/2 (a clip with none of them gets a piano);
/// - tempo: `slow` (60-80 BPM) or `fast` (140-170 BPM), one of the two;
/// - mood: `bright` (comps and lead an octave up, open low-pass at 9-11 kHz) or `dark` (an
///   octave down, low-pass at 1.2-2 kHz), one of the two.
///
/// ```swift
/// let clips = try SynthTags.generate(into: URL(fileURLWithPath: "tagged"), clips: 200, seconds: 10)
/// // tagged/clips/clip.00000.wav ... and tagged/tags.csv (path,tags with tags separated by ";")
/// ```
public enum SynthTags {
    /// Every tag a clip can carry, in this order in the manifest's vocabulary (sorted by `prepare`).
    public static let tagNames = ["drums", "bass", "piano", "strings", "lead", "slow", "fast", "bright", "dark"]

    /// The choices of one clip.
    struct Draw {
        var drums, bass, piano, strings, lead, fast, bright: Bool

        var tags: [String] {
            var t: [String] = []
            if drums { t.append("drums") }
            if bass { t.append("bass") }
            if piano { t.append("piano") }
            if strings { t.append("strings") }
            if lead { t.append("lead") }
            t.append(fast ? "fast" : "slow")
            t.append(bright ? "bright" : "dark")
            return t
        }
    }

    /// The seed of tagged clip `index` (a genre number no GTZAN genre uses, so these clips
    /// differ from `synth`'s).
    static func seed(_ seed: UInt64, index: Int) -> UInt64 { Synth.clipSeed(seed: seed, genre: 1000, index: index) }

    static func draw(seed: UInt64) -> Draw {
        var dice = Dice(seed: seed ^ 0x7A65_7461_6773)
        var d = Draw(drums: dice.chance(0.5), bass: dice.chance(0.5), piano: dice.chance(0.5), strings: dice.chance(0.5),
                     lead: dice.chance(0.5), fast: dice.chance(0.5), bright: dice.chance(0.5))
        if !(d.drums || d.bass || d.piano || d.strings || d.lead) { d.piano = true }
        return d
    }

    /// The pop style with the blocks of `d` on and the others off.
    static func style(_ d: Draw) -> GenreStyle {
        var s = GenreStyle.pop
        s.tempo = d.fast ? 140 ... 170 : 60 ... 80
        s.drums = d.drums ? s.drums.map { line in var l = line; if l.sound == .kick || l.sound == .closedHat { l.presence = 1 }; return l } : []
        s.crashEvery = d.drums ? s.crashEvery : 0
        s.bass = d.bass ? s.bass : nil
        let shift = d.bright ? 12 : -12
        func moved(_ r: ClosedRange<Int>) -> ClosedRange<Int> { (r.lowerBound + shift) ... (r.upperBound + shift) }
        var comps: [CompStyle] = []
        if d.piano {
            comps.append(CompStyle(family: Family.piano, patterns: ["x.x.x.x.x.x.x.x.", "x..x..x...x..x.."], length: 1.5 ... 2.5,
                                   register: moved(55 ... 62), gain: 0.6 ... 0.9))
        }
        if d.strings {
            comps.append(CompStyle(family: Family.strings, patterns: ["x..............."], length: 15 ... 16,
                                   register: moved(55 ... 62), gain: 0.6 ... 0.9))
        }
        s.comps = comps
        s.lead.presence = d.lead ? 1 : 0
        // A busy, loud synth line (pop's own lead sits under the comps and is often inaudible).
        s.lead.families = [Family.synthLead]
        s.lead.density = 0.8 ... 0.95
        s.lead.gain = 1.2 ... 1.6
        s.lead.register = moved(64 ... 74)
        s.lowpass = d.bright ? 9000 ... 11000 : 1200 ... 2000
        return s
    }

    /// The tags and samples (mono, [-1, 1]) of tagged clip `index`.
    public static func renderClip(index: Int, seed: UInt64 = 0, seconds: Double = 30, sampleRate: Int = 22050) -> (tags: [String], samples: [Float]) {
        let clipSeed = self.seed(seed, index: index)
        let d = draw(seed: clipSeed)
        var renderer = ClipRenderer(style: style(d), seed: clipSeed, seconds: seconds, sampleRate: sampleRate)
        return (d.tags, renderer.render())
    }

    /// The relative path of tagged clip `index`: `clips/clip.00042.wav`.
    public static func relativePath(index: Int) -> String {
        let number = String(index)
        return "clips/clip.\(String(repeating: "0", count: max(0, 5 - number.count)))\(number).wav"
    }

    /// Writes `clips` tagged clips as 16-bit mono WAV files under `directory/clips/` (in
    /// parallel, each under a temporary name and renamed) and the manifest
    /// `directory/tags.csv` (`path,tags`, tags separated by `;`), written atomically last.
    /// Returns the relative paths and tags in index order.
    @discardableResult
    public static func generate(into directory: URL, clips: Int, seconds: Double = 30, sampleRate: Int = 22050, seed: UInt64 = 0,
                                jobs: Int = ProcessInfo.processInfo.activeProcessorCount,
                                progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> [(path: String, tags: [String])] {
        guard clips >= 1 else { throw SynthError.badParameter(ParameterError("clips", " must be at least 1, got \(clips)")) }
        try Synth.Options(genres: 1, perGenre: 1, seconds: seconds, sampleRate: sampleRate, seed: seed, jobs: jobs).validate()
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw SynthError.writeFailed(path: directory.path, reason: "is a file, expected a folder")
        }
        do {
            try fm.createDirectory(at: directory.appendingPathComponent("clips"), withIntermediateDirectories: true)
        } catch {
            throw SynthError.writeFailed(path: directory.appendingPathComponent("clips").path, reason: error.localizedDescription)
        }
        let counter = Counter()
        try WorkerPool.forEach(count: clips, jobs: jobs) { i in
            let clip = renderClip(index: i, seed: seed, seconds: seconds, sampleRate: sampleRate)
            try AudioFile.write(clip.samples, sampleRate: sampleRate, to: directory.appendingPathComponent(relativePath(index: i)).path,
                                format: .wav16)
            progress?(counter.increment(), clips)
        }
        let rows = (0 ..< clips).map { i in (path: relativePath(index: i), tags: draw(seed: self.seed(seed, index: i)).tags) }
        let csv = (["path,tags"] + rows.map { "\($0.path),\($0.tags.joined(separator: ";"))" }).joined(separator: "\n") + "\n"
        try writeFileAtomically(Data(csv.utf8), to: directory.appendingPathComponent("tags.csv"))
        return rows
    }
}
