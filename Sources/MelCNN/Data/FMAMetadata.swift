import Foundation

/// One row of FMA's `fma_metadata/tracks.csv`, the columns melcnn uses.
public struct FMATrack: Equatable, Sendable {
    /// `track_id` (the audio file is `NNN/NNNNNN.mp3`, `audioPath`).
    public var id: Int
    /// `set.subset`: the smallest subset holding the track (`small` ⊂ `medium` ⊂ `large`).
    public var subset: FMAMetadata.Subset
    /// `set.split`: the official split (`training`, `validation`, `test`).
    public var split: TrainingTracks.Split
    /// `track.genre_top`: the one top-level genre, empty when the track has several.
    public var genreTop: String
    /// `track.genres_all` as written (`[21, 12]`); `FMAMetadata.genreIDs` parses it.
    public var genresAll: String
    /// Line of tracks.csv where the record starts (1-based), for error messages.
    public var line: Int
}

/// The inputs of `prepare --fma`: labelled files, their official splits, and the tracks
/// left out with the reason (no `genre_top`, audio file missing).
public struct FMAInputs: Sendable {
    public var files: [LabelledFile]
    public var splits: [String: TrainingTracks.Split]
    public var skipped: [SkippedEntry]
    /// `tracks.csv` and the subset, for the data set's `split` attribute.
    public var source: String
}

/// Reading the Free Music Archive's metadata (Defferrard et al., "FMA: A Dataset for Music
/// Analysis", ISMIR 2017; https://github.com/mdeff/fma). `tracks.csv` has a three-row header:
/// the top-level column names (`album`, `artist`, `set`, `track`, ... repeated once per
/// column), the sub-names (`subset`, `split`, `genre_top`, `genres_all`, ...), then a row
/// `track_id,,,...`; records follow RFC 4180 (quoted fields may hold commas, `""` and newlines).
public enum FMAMetadata {
    /// FMA's nested subsets: small (8,000 tracks) ⊂ medium (25,000) ⊂ large (106,574).
    public enum Subset: String, CaseIterable, Comparable, Sendable {
        case small, medium, large

        public static func < (a: Subset, b: Subset) -> Bool {
            allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
        }
    }

    /// The audio file of a track relative to `fma_SUBSET/`: `NNN/NNNNNN.mp3`, the id
    /// zero-padded to 6 digits and NNN its first three (`2` -> `000/000002.mp3`).
    public static func audioPath(id: Int) -> String {
        let digits = String(id)
        let padded = String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        return "\(padded.prefix(3))/\(padded).mp3"
    }

    /// The genre ids of a `genres` / `genres_all` cell, a Python list literal such as
    /// `[21, 12]` (`[]` is none); nil when the text is not such a list of non-negative ints.
    /// Used for tags (`genres_all`) together with `genres.csv`.
    public static func genreIDs(_ text: String) -> [Int]? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.hasPrefix("["), t.hasSuffix("]"), t.count >= 2 else { return nil }
        let inner = t.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        if inner.isEmpty { return [] }
        var ids: [Int] = []
        for part in inner.split(separator: ",", omittingEmptySubsequences: false) {
            guard let id = Int(part.trimmingCharacters(in: .whitespaces)), id >= 0 else { return nil }
            ids.append(id)
        }
        return ids
    }

    /// `fma_metadata/genres.csv` (`genre_id,#tracks,parent,title,top_level`, one header row):
    /// genre id -> title, to name the ids of `genreIDs` (tags). Errors name the file and line.
    public static func readGenres(_ csvPath: String) throws -> [Int: String] {
        let text = try AudioDiscovery.readText(csvPath, what: "FMA genres.csv")
        let records = CSVRecords.parse(text)
        guard let header = records.first?.fields, let idColumn = header.firstIndex(of: "genre_id"),
              let titleColumn = header.firstIndex(of: "title") else {
            throw DataError.badListLine(list: csvPath, line: 1, message: "expected a header with genre_id and title")
        }
        var genres: [Int: String] = [:]
        for record in records.dropFirst() where !(record.fields.count == 1 && record.fields[0].isEmpty) {
            let f = record.fields
            guard f.count > max(idColumn, titleColumn), let id = Int(f[idColumn]), id >= 0 else {
                throw DataError.badListLine(list: csvPath, line: record.line, message: "expected genre_id (an integer >= 0) and title")
            }
            guard genres.updateValue(f[titleColumn], forKey: id) == nil else {
                throw DataError.badListLine(list: csvPath, line: record.line, message: "genre_id \(id) is listed twice")
            }
        }
        return genres
    }

    /// Parses every track of `tracks.csv`; errors name the file and line.
    public static func readTracks(_ csvPath: String) throws -> [FMATrack] {
        let text = try AudioDiscovery.readText(csvPath, what: "FMA tracks.csv")
        var header: [[String]] = [], headerLines: [Int] = []
        var columns: (subset: Int, split: Int, genre: Int, genresAll: Int, width: Int)?
        var tracks: [FMATrack] = [], seen = Set<Int>()
        try CSVRecords.forEach(text) { line, f in
            guard let c = columns else {
                header.append(f); headerLines.append(line)
                if header.count == 3 { columns = try headerColumns(header, lines: headerLines, csvPath) }
                return
            }
            if f.count == 1 && f[0].isEmpty { return } // blank line
            tracks.append(try track(f, line: line, columns: c, seen: &seen, csvPath))
        }
        guard columns != nil else {
            throw DataError.badListLine(list: csvPath, line: 1, message: "expected FMA's three header rows (top-level names, sub-names, track_id)")
        }
        return tracks
    }

    /// The columns set.subset, set.split, track.genre_top, track.genres_all of the header rows.
    private static func headerColumns(_ header: [[String]], lines: [Int], _ csvPath: String) throws
        -> (subset: Int, split: Int, genre: Int, genresAll: Int, width: Int) {
        let top = header[0], sub = header[1]
        func column(_ a: String, _ b: String) throws -> Int {
            guard let c = top.indices.first(where: { top[$0] == a && $0 < sub.count && sub[$0] == b }) else {
                throw DataError.badListLine(list: csvPath, line: lines[0], message: "no column \(a).\(b) in the two-row header")
            }
            return c
        }
        let subset = try column("set", "subset"), split = try column("set", "split")
        let genre = try column("track", "genre_top"), genresAll = try column("track", "genres_all")
        guard header[2].first == "track_id" else {
            throw DataError.badListLine(list: csvPath, line: lines[2], message: "expected the header row track_id")
        }
        return (subset, split, genre, genresAll, max(subset, split, genre, genresAll) + 1)
    }

    /// One data record of tracks.csv, checked.
    private static func track(_ f: [String], line: Int, columns c: (subset: Int, split: Int, genre: Int, genresAll: Int, width: Int),
                              seen: inout Set<Int>, _ csvPath: String) throws -> FMATrack {
        guard f.count >= c.width else {
            throw DataError.badListLine(list: csvPath, line: line, message: "\(f.count) fields, expected at least \(c.width)")
        }
        guard let id = Int(f[0]), (0 ..< 1_000_000).contains(id) else {
            throw DataError.badListLine(list: csvPath, line: line, message: "track_id \(f[0].prefix(20)) is not an integer of at most 6 digits")
        }
        guard seen.insert(id).inserted else {
            throw DataError.badListLine(list: csvPath, line: line, message: "track_id \(id) is listed twice")
        }
        guard let subset = Subset(rawValue: f[c.subset]) else {
            throw DataError.badListLine(list: csvPath, line: line, message: "set.subset \(f[c.subset].prefix(20)) is not small, medium or large")
        }
        let split: TrainingTracks.Split
        switch f[c.split] {
        case "training": split = .train
        case "validation": split = .validation
        case "test": split = .test
        default:
            throw DataError.badListLine(list: csvPath, line: line, message: "set.split \(f[c.split].prefix(20)) is not training, validation or test")
        }
        return FMATrack(id: id, subset: subset, split: split, genreTop: f[c.genre], genresAll: f[c.genresAll], line: line)
    }

    /// The tracks of `subset` (and the smaller subsets inside it) with their audio under
    /// `audioDirectory` (`fma_SUBSET`): labelled by `genre_top`, split by `set.split`,
    /// sorted by path. Tracks without `genre_top` or without their audio file are skipped
    /// and listed; decoding errors (FMA has a few empty or corrupt MP3s) are left to `prepare`,
    /// which skips and lists them too.
    public static func inputs(tracksCSV: String, subset: Subset, audioDirectory: String) throws -> FMAInputs {
        let tracks = try readTracks(tracksCSV)
        var files: [LabelledFile] = [], splits: [String: TrainingTracks.Split] = [:], skipped: [SkippedEntry] = []
        for track in tracks where track.subset <= subset {
            let path = audioPath(id: track.id)
            if track.genreTop.isEmpty {
                skipped.append(SkippedEntry(path: path, reason: "no track.genre_top in tracks.csv (line \(track.line))"))
            } else if !FileManager.default.fileExists(atPath: AudioDiscovery.resolve(path, directory: audioDirectory)) {
                skipped.append(SkippedEntry(path: path, reason: "audio file missing"))
            } else {
                files.append(LabelledFile(path: path, label: track.genreTop))
                splits[path] = track.split
            }
        }
        return FMAInputs(files: files.sorted { $0.path < $1.path }, splits: splits,
                         skipped: skipped.sorted { $0.path < $1.path },
                         source: "fma \((tracksCSV as NSString).lastPathComponent) subset \(subset.rawValue) set.split")
    }

    /// `fma_SUBSET` next to the `fma_metadata` folder holding `tracksCSV` (FMA's zip layout).
    public static func defaultAudioDirectory(tracksCSV: String, subset: Subset) -> String {
        let metadata = (tracksCSV as NSString).deletingLastPathComponent
        let root = (metadata as NSString).deletingLastPathComponent
        return ((root.isEmpty ? "." : root) as NSString).appendingPathComponent("fma_\(subset.rawValue)")
    }
}

/// RFC 4180 records: comma-separated fields, double-quoted fields may hold commas, line
/// breaks and `""` (a quote); records end with LF or CRLF.
enum CSVRecords {
    struct Record {
        /// 1-based line where the record starts.
        var line: Int
        var fields: [String]
    }

    /// Every record, fields as strings (small files: headers, genres.csv, tests).
    static func parse(_ text: String) -> [Record] {
        var records: [Record] = []
        forEach(text) { line, fields in records.append(Record(line: line, fields: fields)) }
        return records
    }

    /// Calls `body(line, fields)` for each record in order; `fields` is reused between calls,
    /// so a large file (FMA's tracks.csv is ~260 MB) is never held as strings all at once.
    static func forEach(_ text: String, _ body: (_ line: Int, _ fields: [String]) throws -> Void) rethrows {
        var text = text
        try text.withUTF8 { try forEach(bytes: $0, body) }
    }

    /// `forEach` over UTF-8 bytes (the string's own storage: no copy).
    private static func forEach(bytes: UnsafeBufferPointer<UInt8>, _ body: (_ line: Int, _ fields: [String]) throws -> Void) rethrows {
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var fields: [String] = [], field: [UInt8] = []
        var line = 1, recordLine = 1, quoted = false, i = 0
        let n = bytes.count
        func endField() { fields.append(String(decoding: field, as: UTF8.self)); field.removeAll(keepingCapacity: true) }
        while i < n {
            let c = bytes[i]
            if quoted {
                if c == quote {
                    if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 1 } else { quoted = false }
                } else {
                    if c == lf { line += 1 }
                    field.append(c)
                }
            } else if c == quote && field.isEmpty {
                quoted = true
            } else if c == comma {
                endField()
            } else if c == lf || c == cr {
                if c == cr && i + 1 < n && bytes[i + 1] == lf { i += 1 }
                endField()
                try body(recordLine, fields)
                fields.removeAll(keepingCapacity: true)
                line += 1
                recordLine = line
            } else {
                field.append(c)
            }
            i += 1
        }
        if !field.isEmpty || !fields.isEmpty {
            endField()
            try body(recordLine, fields)
        }
    }
}
