import ArgumentParser
import Foundation
import MelCNN

/// `melcnn synth`: writes a GTZAN-layout folder of procedurally generated music.
struct SynthCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Generate a GTZAN-layout folder of synthetic music (16-bit mono WAV).",
        discussion: """
            Writes OUT_DIR/<genre>/<genre>.00000.wav ... for the first N of the ten GTZAN
            genre names (blues classical country disco hiphop jazz metal pop reggae rock).
            Each genre is a distribution over tempo, swing, drum patterns, instrument
            timbres, harmony, register, bandwidth and loudness; every clip draws its own
            values, deterministically from (seed, genre, index).

            Example: melcnn synth synth-data --per-genre 100 --seconds 30

            --listeners N also writes OUT_DIR/plays.csv: user,track,count rows of N synthetic
            listeners who prefer one or two genres (track ids are the clip paths that prepare
            stores), the input of `melcnn factors` (--plays-out elsewhere; prepare lists a
            plays.csv inside the audio folder as a skipped non-audio file). --no-audio writes
            only the CSV.
            Example: melcnn synth synth-data --per-genre 20 --listeners 500

            With --tags, writes a multi-label set instead: OUT_DIR/clips/clip.00000.wav ...
            (--clips of them) and the manifest OUT_DIR/tags.csv (path,tags; tags separated by
            ";"), for `melcnn prepare OUT_DIR --manifest OUT_DIR/tags.csv`. Each clip carries
            several tags: instruments (drums bass piano strings lead), tempo (slow or fast) and
            mood (bright or dark); see docs/tagging.md.

            Example: melcnn synth tagged --tags --clips 300 --seconds 10
            """
    )

    @Argument(help: "Output folder (created if missing).") var outDir: String
    @Option(parsing: .unconditional, help: "Number of genres (the first N GTZAN names), 1...10.") var genres: Int = 10
    @Option(name: .customLong("per-genre"), parsing: .unconditional, help: "Clips per genre.") var perGenre: Int = 100
    @Option(parsing: .unconditional, help: "Seconds per clip.") var seconds: Double = 30
    @Option(parsing: .unconditional, help: "Sample rate in Hz.") var sr: Int = 22050
    @Option(parsing: .unconditional, help: "Master seed (clips depend only on seed, genre and index).") var seed: UInt64 = 0
    @Flag(help: "Write a multi-label (tagged) set with a manifest instead of genre folders.") var tags = false
    @Option(parsing: .unconditional, help: "Number of clips of a --tags set.") var clips: Int = 200
    @Option(parsing: .unconditional, help: "Parallel jobs (default: number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Also write OUT_DIR/plays.csv with this many synthetic listeners.") var listeners: Int?
    @Option(name: .customLong("tracks-per-listener"), parsing: .unconditional,
            help: "Distinct tracks per listener, MIN-MAX (uniform).") var tracksPerListener: TrackCountRange = TrackCountRange(low: 5, high: 40)
    @Flag(name: .customLong("no-audio"), help: "Write only plays.csv (needs --listeners).") var noAudio = false
    @Option(name: .customLong("plays-out"), parsing: .unconditional,
            help: "Where --listeners writes its CSV (default OUT_DIR/plays.csv).") var playsOut: String?

    func run() throws {
        if tags && (listeners != nil || noAudio) {
            throw CLIError("--listeners: the synthetic listeners prefer genres; leave out --tags")
        }
        if noAudio, listeners == nil { throw CLIError("--no-audio needs --listeners") }
        if let listeners { try writePlays(listeners) }
        if noAudio { return }
        if tags {
            let start = Date()
            let progress = ProgressReporter(label: "synth", total: max(0, clips))
            let rows = try SynthTags.generate(into: URL(fileURLWithPath: outDir), clips: clips, seconds: seconds, sampleRate: sr,
                                              seed: seed, jobs: jobs) { done, _ in progress.update(done) }
            progress.finish()
            let perClip = Double(rows.reduce(0) { $0 + $1.tags.count }) / Double(rows.count)
            print("synth: wrote \(rows.count) tagged clips (\(SynthTags.tagNames.count) tags, \(String(format: "%.1f", perClip)) per clip, "
                + "\(seconds) s at \(sr) Hz) and tags.csv to \(outDir) in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            return
        }
        let options = Synth.Options(genres: genres, perGenre: perGenre, seconds: seconds, sampleRate: sr,
                                    seed: seed, jobs: jobs)
        let start = Date()
        let progress = ProgressReporter(label: "synth", total: genres * perGenre)
        let paths = try Synth.generate(into: URL(fileURLWithPath: outDir), options: options) { done, total in
            progress.update(done)
        }
        progress.finish()
        let elapsed = Date().timeIntervalSince(start)
        print("synth: wrote \(paths.count) clips (\(genres) genres x \(perGenre), \(seconds) s at \(sr) Hz) to \(outDir) in \(String(format: "%.1f", elapsed)) s")
    }
}

extension SynthCommand {
    /// Writes OUT_DIR/plays.csv for `listeners` synthetic listeners of the clips.
    func writePlays(_ listeners: Int) throws {
        let options = SynthListeners.Options(listeners: listeners, genres: genres, perGenre: perGenre,
                                             minTracks: tracksPerListener.low, maxTracks: tracksPerListener.high, seed: seed)
        do { try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true) } catch {
            throw SynthError.writeFailed(path: outDir, reason: "cannot create the folder")
        }
        let path = playsOut ?? (outDir as NSString).appendingPathComponent("plays.csv")
        let rows = try SynthListeners.write(to: path, options: options)
        print("synth: wrote \(rows) plays of \(listeners) listeners to \(path)")
    }
}

/// `--tracks-per-listener MIN-MAX` (e.g. 5-40); the range itself is checked by `SynthListeners`.
struct TrackCountRange: ExpressibleByArgument {
    let low: Int
    let high: Int

    init(low: Int, high: Int) {
        self.low = low
        self.high = high
    }

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let low = parts[0], let high = parts[1] else { return nil }
        self.init(low: low, high: high)
    }

    var defaultValueDescription: String { "\(low)-\(high)" }
}
