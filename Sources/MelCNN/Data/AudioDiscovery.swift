import Audio
import Foundation

/// One labelled input file of a data set.
public struct LabelledFile: Equatable, Sendable {
    /// Path relative to the audio folder (forward slashes), as stored in `/tracks/path`.
    public var path: String
    /// Class name (for a tagged file: its first tag in sorted order, the stratification key).
    public var label: String
    /// The file's tags (sorted, distinct) when the manifest has a `tags` column, else nil.
    public var tags: [String]?
    /// The file's group (album, artist, soundtrack: cross-validation keeps a group in one fold)
    /// when the manifest has a non-empty `group` field for it, else nil (the track is its own group).
    public var group: String?

    public init(path: String, label: String, tags: [String]? = nil, group: String? = nil) {
        self.path = path
        self.label = label
        self.tags = tags
        self.group = group
    }
}

/// Finding the input files of `melcnn prepare`: a recursive walk (label = parent
/// folder, the GTZAN layout) or a CSV manifest of `path,label` lines (FMA style).
public enum AudioDiscovery {
    /// File extensions treated as audio (lower case).
    public static let audioExtensions: Set<String> = ["wav", "wave", "aif", "aiff", "aifc", "flac", "ogg", "oga",
                                                      "opus", "mp3", "au", "snd", "caf", "w64", "rf64"]

    /// Every audio file below `directory` (recursively, following links; `DirectoryWalk`),
    /// labelled by the name of its parent folder (shown escaped when not UTF-8), sorted by
    /// path. Files directly in `directory` have no label and are listed in `skipped`, with
    /// every other entry not used and the reason.
    public static func scan(_ directory: String) throws -> (files: [LabelledFile], skipped: [SkippedEntry]) {
        var status = stat()
        guard PathBytes.withSystemPath(directory, { stat($0, &status) }) == 0 else {
            throw DataError.missingInput(path: PathBytes.display(directory), what: "audio folder")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw DataError.unusableInput(path: PathBytes.display(directory), reason: "is a file, expected a folder of audio files")
        }
        let listing = DirectoryWalk.walk(directory, isWanted: isAudioName)
        var files: [LabelledFile] = [], skipped = listing.skipped
        for relative in listing.files {
            let parts = relative.split(separator: "/")
            if parts.count < 2 {
                skipped.append(SkippedEntry(path: relative, reason: "no label: the file is not inside a class folder"))
            } else {
                files.append(LabelledFile(path: relative, label: PathBytes.display(String(parts[parts.count - 2]))))
            }
        }
        return (files, skipped.sorted { $0.path < $1.path })
    }

    /// Whether a file name has one of `audioExtensions` (case-insensitive).
    public static func isAudioName(_ name: String) -> Bool {
        audioExtensions.contains((name as NSString).pathExtension.lowercased())
    }

    /// Reads a CSV manifest of `path,label` lines (paths relative to `directory` or
    /// absolute; an optional header line `path,label`; `#` comments and blank lines
    /// ignored; fields may be double-quoted). Every listed file must exist.
    /// A header naming a `tags` column (`path,tags` or `path,label,tags`) makes a
    /// multi-label manifest: see `taggedManifest`.
    public static func manifest(_ csvPath: String, directory: String) throws -> [LabelledFile] {
        try taggedManifest(csvPath, directory: directory).files
    }

    /// Reads a manifest that may carry tags. The header line names the columns (`path`
    /// first, then any of `label`, `tags` and `group`; another name is an error naming it); without a
    /// header the columns are `path,label`. A `tags` field holds the file's tags separated by
    /// `;` (blanks around them and empty entries ignored); a file whose tag set is empty is
    /// listed in `skipped`, not used. Without a `label` column a tagged file's label is its
    /// first tag in sorted order (the key of the stratified split). A `group` field (blank: none)
    /// names the file's group, stored as `/tracks/group` for `melcnn cv`.
    public static func taggedManifest(_ csvPath: String, directory: String) throws -> (files: [LabelledFile], skipped: [SkippedEntry]) {
        let text = try readText(csvPath, what: "manifest")
        var files: [LabelledFile] = [], skipped: [SkippedEntry] = []
        var seen = Set<String>()
        var labelColumn: Int? = 1, tagsColumn: Int?, groupColumn: Int?
        var firstLine = true
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = parseCSVLine(line)
            if firstLine {
                firstLine = false
                if fields[0].lowercased() == "path" {
                    let names = fields.map { $0.lowercased() }
                    if let bad = names.dropFirst().first(where: { !["label", "tags", "group"].contains($0) }) {
                        throw DataError.badListLine(list: csvPath, line: n + 1,
                                                    message: "unknown column \"\(bad)\" (expected path, then label and/or tags, optionally group)")
                    }
                    guard Set(names).count == names.count, names.contains("label") || names.contains("tags") else {
                        throw DataError.badListLine(list: csvPath, line: n + 1, message: "the header needs path and a label or tags column, each once")
                    }
                    labelColumn = names.firstIndex(of: "label")
                    tagsColumn = names.firstIndex(of: "tags")
                    groupColumn = names.firstIndex(of: "group")
                    continue
                }
            }
            let needed = max(labelColumn ?? 0, tagsColumn ?? 0, groupColumn ?? 0) + 1
            guard fields.count >= needed else {
                throw DataError.badListLine(list: csvPath, line: n + 1,
                                            message: "expected \(needed) fields (\(tagsColumn == nil && groupColumn == nil ? "path,label" : "the header's columns")), got \(fields.count)")
            }
            let path = fields[0]
            var label = labelColumn.map { fields[$0] } ?? ""
            var tags: [String]?
            if let tagsColumn {
                let set = Array(Set(fields[tagsColumn].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty })).sorted()
                if set.isEmpty {
                    skipped.append(SkippedEntry(path: path, reason: "\(csvPath):\(n + 1): empty tag set"))
                    continue
                }
                tags = set
                if labelColumn == nil { label = set[0] }
            }
            guard !label.isEmpty else { throw DataError.badListLine(list: csvPath, line: n + 1, message: "empty label") }
            let relative = normalise(path, directory: directory)
            guard FileManager.default.fileExists(atPath: resolve(relative, directory: directory)) else {
                throw DataError.listedPathMissing(list: csvPath, line: n + 1, path: path)
            }
            guard seen.insert(relative).inserted else {
                throw DataError.badListLine(list: csvPath, line: n + 1, message: "\(path) is listed twice")
            }
            let group = groupColumn.map { fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            files.append(LabelledFile(path: relative, label: label, tags: tags, group: group))
        }
        return (files.sorted { $0.path < $1.path }, skipped)
    }

    /// Reads a split file: one path per line relative to `directory` (blank lines and
    /// `#` comments ignored). Every path must exist; the error names the first that does not.
    public static func splitList(_ listPath: String, directory: String) throws -> [String] {
        let text = try readText(listPath, what: "split file")
        var paths: [String] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let relative = normalise(line, directory: directory)
            guard FileManager.default.fileExists(atPath: resolve(relative, directory: directory)) else {
                throw DataError.listedPathMissing(list: listPath, line: n + 1, path: line)
            }
            paths.append(relative)
        }
        return paths
    }

    /// The absolute path of a stored relative path.
    public static func resolve(_ relative: String, directory: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: directory).appendingPathComponent(relative).path
    }

    /// A listed path made relative to `directory` when it lies inside it, `./` removed.
    static func normalise(_ path: String, directory: String) -> String {
        var p = path
        while p.hasPrefix("./") { p.removeFirst(2) }
        if p.hasPrefix("/") {
            let root = URL(fileURLWithPath: directory).standardizedFileURL.path
            let prefix = root.hasSuffix("/") ? root : root + "/"
            if p.hasPrefix(prefix) { p = String(p.dropFirst(prefix.count)) }
        }
        return p
    }

    /// Splits one CSV line on commas, honouring double quotes (`""` inside quotes is a quote).
    static func parseCSVLine(_ line: String) -> [String] {
        var fields: [String] = [], field = "", quoted = false
        var chars = line.makeIterator()
        while let c = chars.next() {
            if quoted {
                if c == "\"" {
                    if let n = chars.next() {
                        if n == "\"" { field.append("\"") } else { quoted = false; if n == "," { fields.append(field); field = "" } else { field.append(n) } }
                    } else { quoted = false }
                } else { field.append(c) }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(field); field = ""
            } else {
                field.append(c)
            }
        }
        fields.append(field)
        return fields.map { $0.trimmingCharacters(in: .whitespaces) }
    }
}

extension AudioDiscovery {
    /// The UTF-8 text of a list file; errors say whether it is missing, a folder or not text.
    static func readText(_ path: String, what: String) throws -> String {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw DataError.missingInput(path: path, what: what)
        }
        if isDir.boolValue { throw DataError.unusableInput(path: path, reason: "is a folder, expected a \(what)") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError.unusableInput(path: path, reason: "cannot read the \(what)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError.unusableInput(path: path, reason: "the \(what) is not UTF-8 text")
        }
        return text
    }
}
