import Audio
import ArgumentParser
import DSP
import Foundation

/// `melcnn beats FILE`: tempo and beat times (librosa.beat.beat_track).
struct BeatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "beats",
        abstract: "Print the tempo and beat times of an audio file (librosa.beat.beat_track).",
        discussion: """
            Loads FILE like librosa.load (mono, 22050 Hz), computes the onset strength envelope \
            (median over 128 mel bands), the global tempo (autocorrelation tempogram over 8 s, \
            log-normal prior around --start-bpm) and the beats by Ellis' dynamic programme \
            (tightness 100), with librosa 0.11's conventions. Prints `tempo <bpm>` and then one \
            beat time in seconds per line (--frames: frame indices at hop 512 instead).

            Example: melcnn beats song.wav
            """
    )

    @Argument(help: ArgumentHelp("Audio file (WAV, AIFF, FLAC, OGG, Opus, MP3).", valueName: "file"))
    var file: String

    @Option(name: .customLong("start-bpm"), parsing: .unconditional, help: "Centre of the tempo prior, BPM.")
    var startBPM: Double = 120

    @Option(name: .long, parsing: .unconditional, help: "How strictly beats follow the tempo (librosa's tightness).")
    var tightness: Double = 100

    @Flag(name: .long, help: "Print beat frame indices (hop 512) instead of times.")
    var frames = false

    func validate() throws {
        guard startBPM > 0, startBPM.isFinite else { throw CLIError("melcnn beats: --start-bpm \(startBPM): must be positive") }
        guard tightness > 0, tightness.isFinite else { throw CLIError("melcnn beats: --tightness \(tightness): must be positive") }
    }

    func run() throws {
        let y: [Float]
        do { y = try AudioFile.load(file).samples } catch { throw CLIError("melcnn beats: \(error)") }
        let result = try beatTrack(y, sampleRate: 22050, startBPM: startBPM, tightness: tightness)
        print(String(format: "tempo %.2f", result.tempo))
        if frames {
            for b in result.beats { print(b) }
        } else {
            for t in framesToTime(result.beats) { print(String(format: "%.3f", t)) }
        }
        FileHandle.standardError.write(Data("\(result.beats.count) beats\n".utf8))
    }
}
