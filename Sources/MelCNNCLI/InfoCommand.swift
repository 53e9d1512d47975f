import ArgumentParser
import Audio
import Foundation
import HDF5
import MelCNN
import ToolSupport

/// `melcnn info FILE...`: describes audio files (header fields plus peak and RMS) and HDF5
/// files (groups, datasets with shapes and dtypes, attributes). A file that cannot be read
/// gets a one-line message on stderr; the others are still described, and the exit code is 1.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe audio or HDF5 files.",
        discussion: """
            Audio files (anything libsndfile reads: WAV, AIFF, FLAC, OGG/Vorbis, Opus, MP3, ...): \
            format, subtype, sample rate, channels, duration, frames, and the peak and RMS level \
            over all channels (linear and dBFS; the file is decoded once for these).
            HDF5 files (.h5, .hdf5, or any file with the HDF5 signature): every group and \
            dataset with its shape, dtype, chunking and filters, and every attribute.
            Files that cannot be read are reported on stderr, one line each; the remaining \
            files are still described and the command exits with status 1.

            --cpu prints the CPU level and the kernel each fast path runs (see MELCNN_CPU).

            Example: melcnn info song.wav data/dataset.h5
            """
    )

    @Argument(help: ArgumentHelp("Audio or HDF5 files to describe.", valueName: "file"))
    var files: [String] = []

    @Flag(name: .long, help: "Print the CPU's instruction-set level and the kernels melcnn runs on it.")
    var cpu = false

    @Flag(name: .customLong("no-levels"), help: "Audio: print the header fields only, without decoding for peak and RMS.")
    var noLevels = false

    func validate() throws {
        if files.isEmpty && !cpu { throw ValidationError("give at least one file (or --cpu)") }
    }

    func run() throws {
        if cpu { print(CPUReport.lines().joined(separator: "\n")) }
        var failures = 0
        for (index, path) in files.enumerated() {
            do {
                let lines = try FileDescriber.describe(path, levels: !noLevels)
                if index > 0 { print() }
                print(PathBytes.display(lines.joined(separator: "\n")))  // stored paths that are not UTF-8, escaped
            } catch {
                Console.error("melcnn info: \(error)")
                failures += 1
            }
        }
        if failures > 0 { throw ExitCode.failure }
    }
}

/// Text descriptions of the files `melcnn info` understands.
enum FileDescriber {
    /// Summaries of particular kinds of HDF5 file (a melcnn dataset, checkpoint, embeddings...),
    /// printed after the generic tree. Each looks at the open file and returns its lines, or
    /// nil when the file is not of its kind. Add one line here per kind.
    static let hdf5Summaries: [@Sendable (H5File) throws -> [String]?] = [FileSummaries.dataset, FileSummaries.checkpoint]

    /// Lines describing `path`: a header line with the path, then indented fields.
    static func describe(_ path: String, levels: Bool = true) throws -> [String] {
        isHDF5(path) ? try describeHDF5(path) : try describeAudio(path, levels: levels)
    }

    /// HDF5 by extension or by the 8-byte signature at the start of the file.
    static func isHDF5(_ path: String) -> Bool {
        let ext = URL(fileURLWithPath: path).pathExtension.lowercased()
        if ["h5", "hdf5", "he5"].contains(ext) { return true }
        // Only regular files are opened to sniff: opening a pipe would block.
        guard (try? FileManager.default.attributesOfItem(atPath: path)[.type] as? FileAttributeType) == .typeRegular,
              let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
        return (try? handle.read(upToCount: 8)).map { Array($0) == signature } ?? false
    }

    static func describeAudio(_ path: String, levels: Bool) throws -> [String] {
        let info = try AudioFile.info(path)
        // With levels the file is decoded anyway: the frames are the ones decoded (soundfile's
        // count). Otherwise the header's count, or "unknown" when the header holds none.
        let stats = levels ? try AudioStatistics.measure(path) : nil
        let frames = stats?.decodedFrames ?? info.frames
        var fields: [(String, String)] = [
            ("format", "\(info.format) [\(info.formatDescription)]"),
            ("subtype", "\(info.subtype) [\(info.subtypeDescription)]"),
            ("sample rate", "\(info.sampleRate) Hz"),
            ("channels", "\(info.channels)"),
        ]
        if let frames {
            let seconds = Double(frames) / Double(info.sampleRate)
            fields.append(("duration", String(format: "%.3f s (%@)", seconds, clock(seconds))))
            fields.append(("frames", "\(frames)"))
        } else {
            fields.append(("duration", "unknown (the header holds no frame count; drop --no-levels to decode and count)"))
            fields.append(("frames", "unknown"))
        }
        if let stats {
            fields.append(("peak", String(format: "%.6f (%@)", stats.peak, dBFS(stats.peakDBFS))))
            fields.append(("RMS", String(format: "%.6f (%@)", stats.rms, dBFS(stats.rmsDBFS))))
        }
        return [PathBytes.display(path)] + fields.map { "  " + ($0.0 + ":").padding(toLength: 13, withPad: " ", startingAt: 0) + $0.1 }
    }

    static func describeHDF5(_ path: String) throws -> [String] {
        let file = try H5File.open(path)
        defer { file.close() }
        var lines = [path + "  (HDF5)"]
        lines += try file.describeTree().split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        for summary in hdf5Summaries {
            if let extra = try summary(file) { lines += extra.map { "  " + $0 } }
        }
        return lines
    }

    private static func dBFS(_ value: Double) -> String {
        value.isFinite ? String(format: "%.2f dBFS", value) : "-inf dBFS"
    }

    /// `m:ss.mmm` (or `h:mm:ss.mmm`).
    private static func clock(_ seconds: Double) -> String {
        let ms = Int((seconds * 1000).rounded())
        let h = ms / 3_600_000, m = ms / 60000 % 60, s = ms / 1000 % 60, rest = ms % 1000
        return h > 0 ? String(format: "%d:%02d:%02d.%03d", h, m, s, rest) : String(format: "%d:%02d.%03d", m, s, rest)
    }
}
