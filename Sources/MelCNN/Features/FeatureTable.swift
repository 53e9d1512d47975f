import Audio
import DSP
import Foundation
import FileOutput
import HDF5

/// The GTZAN-style feature CSV (`features_30_sec.csv`, `features_3_sec.csv` of GTZAN's Kaggle copy):
/// one row per audio file, or per segment, with `filename, length, <GTZANFeatures.columns>, label`,
/// the label being the name of the file's parent folder (`genres_original/<genre>/<file>`).
///
/// ```swift
/// let files = try FeatureTable.audioFiles(in: ["genres_original"]).files
/// let table = FeatureTable(options: .init(segmentSeconds: 3))
/// let result = table.extract(files, jobs: 4) { done, total in print(done, total) }
/// try table.write(result, to: "features_3_sec.csv")
/// ```
public struct FeatureTable: Sendable {
    /// What each row holds.
    public struct Options: Sendable, Equatable {
        /// Split every file into consecutive segments of this many seconds (nil: one row per file).
        public var segmentSeconds: Double?
        /// Add `GTZANFeatures.extendedColumns` before `label` (`melcnn features --all`).
        public var extended: Bool
        /// Rate the audio is loaded at (librosa's default 22050 Hz).
        public var sampleRate: Int

        public init(segmentSeconds: Double? = nil, extended: Bool = false, sampleRate: Int = 22050) {
            self.segmentSeconds = segmentSeconds
            self.extended = extended
            self.sampleRate = sampleRate
        }
    }

    /// The rows of one file (empty when it was skipped) or why it was skipped.
    public struct FileResult: Sendable {
        public var path: String
        public var rows: [[String]]
        /// The reason the file was skipped (unreadable, too short), nil if it produced rows.
        public var skipReason: String?
    }

    /// File extensions `audioFiles(in:)` collects from folders (the same as `prepare`'s).
    public static var audioExtensions: Set<String> { AudioDiscovery.audioExtensions }

    public let options: Options

    public init(options: Options = .init()) { self.options = options }

    /// The CSV header: `filename, length, <features>, label`.
    public var header: [String] {
        ["filename", "length"] + GTZANFeatures.columns + (options.extended ? GTZANFeatures.extendedColumns : []) + ["label"]
    }

    /// Audio files under `paths`: files as given, folders walked recursively by `DirectoryWalk`
    /// (links followed, names that are not UTF-8 kept), each folder's files in name order, and
    /// the entries of those folders not used (paths joined to the folder given) with the reason.
    /// A path that does not exist throws.
    public static func audioFiles(in paths: [String]) throws -> (files: [String], skipped: [SkippedEntry]) {
        var files: [String] = [], skipped: [SkippedEntry] = []
        for path in paths {
            var status = stat()
            guard PathBytes.withSystemPath(path, { stat($0, &status) }) == 0 else {
                throw MelCNNError.missingFile(path: PathBytes.display(path), what: "audio file or folder")
            }
            guard status.st_mode & S_IFMT == S_IFDIR else { files.append(path); continue }
            let listing = DirectoryWalk.walk(path, isWanted: AudioDiscovery.isAudioName)
            let folder = path.hasSuffix("/") ? path : path + "/"
            files += listing.files.map { folder + $0 }
            skipped += listing.skipped.map { SkippedEntry(path: folder + $0.path, reason: $0.reason) }
        }
        return (files, skipped)
    }

    /// The label of `path`: its parent folder's name (GTZAN's `genres_original/<genre>/`),
    /// shown escaped when it is not UTF-8.
    public static func label(of path: String) -> String {
        let parent = ((path as NSString).deletingLastPathComponent as NSString).lastPathComponent
        return parent.isEmpty || parent == "." ? "" : PathBytes.display(parent)
    }

    /// The rows of one file (loaded mono at `options.sampleRate`). Errors (unreadable audio, a file
    /// shorter than one segment) are returned as the skip reason, not thrown. With segments the
    /// file is streamed (`AudioFile.stream`): only the current segment is held, so memory does not
    /// grow with the file. A whole-file row is streamed twice (`GTZANFeatures.compute(reading:)`):
    /// memory grows only by 4 bytes per STFT frame (8 with `extended`), except the chroma CQT and
    /// tonnetz columns of `extended` rows, which a third read computes from the loaded signal.
    public func rows(for path: String) -> FileResult {
        do {
            let name = PathBytes.display((path as NSString).lastPathComponent)
            let label = Self.label(of: path)
            let sr = Double(options.sampleRate)
            guard let seconds = options.segmentSeconds else {
                // Streamed (GTZANFeatures.compute(reading:)): the same numbers, bounded memory.
                let (values, samples) = try GTZANFeatures.compute(reading: { consume in
                    _ = try AudioFile.stream(path, sampleRate: options.sampleRate, consume)
                }, sampleRate: sr, extended: options.extended)
                return FileResult(path: path, rows: [[name, String(samples)] + values.map { Self.format($0) } + [label]])
            }
            // Kaggle names segment i of blues.00000.wav "blues.00000.i.wav".
            let stem = (name as NSString).deletingPathExtension, ext = (name as NSString).pathExtension
            var rows: [[String]] = []
            let total = try Self.segments(of: path, sampleRate: options.sampleRate, seconds: seconds) { i, segment in
                rows.append(try row(ext.isEmpty ? "\(stem).\(i)" : "\(stem).\(i).\(ext)", segment, label, sr))
            }
            guard !rows.isEmpty else {
                return FileResult(path: path, rows: [], skipReason: String(
                    format: "shorter than one %g s segment (%.2f s)", seconds, Double(total) / sr))
            }
            return FileResult(path: path, rows: rows)
        } catch {
            return FileResult(path: path, rows: [], skipReason: "\(error)")
        }
    }

    /// Streams `path` (mono at `sampleRate`) and calls `body(i, samples)` for each whole segment
    /// of `int(seconds * sampleRate)` samples in order (a shorter remainder is dropped, as
    /// GTZAN's 3-second CSV does). Holds one segment at a time. Returns the samples streamed.
    static func segments(of path: String, sampleRate: Int, seconds: Double,
                         _ body: (Int, [Float]) throws -> Void) throws -> Int {
        let exact = seconds * Double(sampleRate)  // may exceed Int's range for an absurd --segment
        let length = exact < 1e15 ? Int(exact) : Int(1e15)
        guard length > 0 else {
            return try AudioFile.stream(path, sampleRate: sampleRate) { _ in }.samples
        }
        var segment: [Float] = []
        segment.reserveCapacity(min(length, 1 << 22))
        var index = 0
        let summary = try AudioFile.stream(path, sampleRate: sampleRate) { block in
            var from = 0
            while from < block.count {
                let n = min(length - segment.count, block.count - from)
                segment.append(contentsOf: UnsafeBufferPointer(rebasing: block[from ..< from + n]))
                from += n
                if segment.count == length {
                    try body(index, segment)
                    index += 1
                    segment.removeAll(keepingCapacity: true)
                }
            }
        }
        return summary.samples
    }

    private func row(_ name: String, _ y: [Float], _ label: String, _ sr: Double) throws -> [String] {
        let values = try GTZANFeatures.compute(y, sampleRate: sr, extended: options.extended)
        return [name, String(y.count)] + values.map { Self.format($0) } + [label]
    }

    /// Shortest round-trip decimal of a value (as Python prints float64), `nan`/`inf` spelled like pandas.
    static func format(_ v: Double) -> String {
        if v.isNaN { return "nan" }
        if v.isInfinite { return v > 0 ? "inf" : "-inf" }
        return "\(v)"
    }

    /// Extracts every file with `jobs` worker threads (each file single-threaded), in input order.
    /// `progress(done, total, result)` is called after each file, serialised, from the workers.
    public func extract(_ files: [String], jobs: Int,
                        progress: @Sendable (Int, Int, FileResult) -> Void = { _, _, _ in }) -> [FileResult] {
        let results = ResultSlots(count: files.count)
        let ahead = max(1, jobs)
        WorkerPool.forEach(count: files.count, jobs: jobs) { i in
            if i + ahead < files.count { ReadAhead.request(files[i + ahead]) }   // read while this one decodes
            let result = rows(for: files[i])
            let done = results.store(result, at: i)
            results.serialised { progress(done, files.count, result) }
        }
        return results.all()
    }

    /// Writes the header and the rows of `results` as CSV to `path` atomically (temporary file in the
    /// same folder, then renamed). Fields with commas, quotes or newlines are quoted.
    public func write(_ results: [FileResult], to path: String) throws {
        try Self.checkOutput(path, notAmong: results.map(\.path))
        var text = Self.csvLine(header)
        for result in results { for row in result.rows { text += Self.csvLine(row) } }
        try atomicWrite(to: path, text: text)
    }

    /// Throws when `output` is one of `inputs` (writing it would destroy an input file).
    public static func checkOutput(_ output: String, notAmong inputs: [String]) throws {
        if let clash = inputs.first(where: { isSameFile($0, output) }) {
            throw ParameterError("output", " \(output): is the input file \(clash); choose another output")
        }
    }

    static func csvLine(_ fields: [String]) -> String {
        fields.map { f in
            f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : f
        }.joined(separator: ",") + "\n"
    }
}

/// Result storage shared by the extraction threads.
private final class ResultSlots: @unchecked Sendable {
    private let lock = NSLock()
    private let callbackLock = NSLock()
    private var done = 0
    private var slots: [FeatureTable.FileResult?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func store(_ result: FeatureTable.FileResult, at i: Int) -> Int {
        lock.lock(); defer { lock.unlock() }
        slots[i] = result
        done += 1
        return done
    }

    func serialised(_ body: () -> Void) {
        callbackLock.lock(); defer { callbackLock.unlock() }
        body()
    }

    func all() -> [FeatureTable.FileResult] { slots.compactMap { $0 } }
}
