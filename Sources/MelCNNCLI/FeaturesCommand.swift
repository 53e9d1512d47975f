import ArgumentParser
import DSP
import Foundation
import MelCNN
import Tensor
import ToolSupport

/// `melcnn features PATH... --out features.csv`: the GTZAN feature CSV of a set of audio files.
struct FeaturesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "features",
        abstract: "Write GTZAN-style feature CSVs (features_30_sec.csv / features_3_sec.csv columns).",
        discussion: """
            For every audio file (folders are searched recursively), computes librosa's feature set \
            as GTZAN's Kaggle CSVs have it and writes one row per file, or per segment with --segment:
              filename, length, chroma_stft_mean, chroma_stft_var, rms_mean, rms_var,
              spectral_centroid_mean/_var, spectral_bandwidth_mean/_var, rolloff_mean/_var,
              zero_crossing_rate_mean/_var, harmony_mean/_var, perceptr_mean/_var, tempo,
              mfcc1_mean, mfcc1_var, ..., mfcc20_mean, mfcc20_var, label
            `length` is the number of samples at 22050 Hz, `label` the parent folder's name \
            (genres_original/<genre>/<file>), segments are named <stem>.<i>.<ext>. --all adds, \
            before `label`: spectral contrast (7 bands), chroma CQT, tonnetz (6 dimensions), spectral \
            flatness, onset rate, beat count, and the skewness and kurtosis of every feature.
            Files are processed in parallel (--jobs), each on one thread. Unreadable files are \
            reported on stderr with the reason and skipped; the CSV is written atomically.

            Examples:
              melcnn features genres_original --out features_30_sec.csv
              melcnn features genres_original --segment 3 --jobs 8 --out features_3_sec.csv
              melcnn features song.mp3 other.flac --all --out features.csv
            """
    )

    @Argument(help: ArgumentHelp("Audio files or folders (searched recursively).", valueName: "path"))
    var paths: [String]

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Output CSV file.", valueName: "file"))
    var out: String

    @Option(name: .long, parsing: .unconditional, help: ArgumentHelp("Split files into segments of this many seconds (GTZAN's 3-second CSV: 3).", valueName: "seconds"))
    var segment: Double?

    @Option(name: .long, parsing: .unconditional, help: "Files processed in parallel (default: the number of cores).")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "Add contrast, chroma CQT, tonnetz, flatness, onset rate, beat count, and skewness and kurtosis of every feature.")
    var all = false

    func validate() throws {
        if let segment, !(segment.isFinite && segment > 0) {
            throw CLIError("melcnn features: --segment \(segment): must be a positive number of seconds")
        }
        guard jobs >= 1 else { throw CLIError("melcnn features: --jobs \(jobs): must be at least 1") }
    }

    func run() throws {
        let files: [String], unused: [SkippedEntry]
        do { (files, unused) = try FeatureTable.audioFiles(in: paths) } catch {
            throw CLIError("melcnn features: \(error)")
        }
        for entry in unused { Console.error("features: skipped \(entry.path): \(entry.reason)") }
        guard !files.isEmpty else {
            throw CLIError("melcnn features: no audio files found in \(paths.joined(separator: ", "))"
                + (unused.isEmpty ? "" : " (\(unused.count) entries skipped, see above)"))
        }
        do { try FeatureTable.checkOutput(out, notAmong: files) } catch {
            throw CLIError("melcnn features: \(CLIError.mapping(error))")
        }
        let folder = (out as NSString).deletingLastPathComponent
        guard folder.isEmpty || FileManager.default.fileExists(atPath: folder) else {
            throw CLIError("melcnn features: --out \(out): folder \(folder) does not exist")
        }
        Threads.setCount(1)   // one thread per file; parallelism is across files
        let table = FeatureTable(options: .init(segmentSeconds: segment, extended: all))
        let progress = ProgressReporter(title: "features", total: files.count, unit: "files")
        progress.plainInterval = 5
        let results = table.extract(files, jobs: jobs) { done, total, result in
            if let reason = result.skipReason {  // audio errors start with the path already
                progress.message(reason.hasPrefix(result.path + ": ") ? "skipped \(reason)" : "skipped \(result.path): \(reason)")
            }
            progress.update(done)
        }
        let skipped = results.filter { $0.skipReason != nil }.count + unused.count
        let rows = results.reduce(0) { $0 + $1.rows.count }
        guard skipped - unused.count < results.count else {
            progress.finish()
            throw CLIError("melcnn features: all \(results.count) files were skipped (see above); nothing written")
        }
        do { try table.write(results, to: out) } catch {
            throw CLIError("melcnn features: --out \(out): \(error)")
        }
        progress.finish(String(format: "features: %d files processed, %d skipped, %d rows -> %@ (%.1f s)",
                               results.count - (skipped - unused.count), skipped, rows, out, progress.elapsed))
    }
}
