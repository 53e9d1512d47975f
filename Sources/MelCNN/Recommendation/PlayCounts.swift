import Foundation
import Tensor

/// A sparse play-count matrix: users x tracks in compressed sparse row (CSR) form.
///
/// Rows are users, columns tracks; `values` hold play counts (or confidences, see
/// `ImplicitALS`). Storage is three flat arrays, so millions of plays cost about
/// 8 bytes each (`indices` Int32 + `values` Float) plus 8 bytes per row.
/// ```swift
/// let plays = try PlayCounts.read(csv: "plays.csv")   // user,track,count rows
/// let m = plays.matrix                                 // [users x tracks]
/// ```
public struct SparseMatrix: Equatable, Sendable {
    public let rows: Int
    public let cols: Int
    /// `rows + 1` offsets into `indices`/`values`; row r is `indptr[r] ..< indptr[r + 1]`.
    public var indptr: [Int]
    /// Column of each stored entry, ascending within a row, no duplicates.
    public var indices: [Int32]
    /// Value of each stored entry.
    public var values: [Float]

    public var nonzeros: Int { indices.count }

    public init(rows: Int, cols: Int, indptr: [Int], indices: [Int32], values: [Float]) {
        precondition(indptr.count == rows + 1 && indices.count == values.count && indptr.last == indices.count,
                     "CSR arrays do not fit together")
        self.rows = rows
        self.cols = cols
        self.indptr = indptr
        self.indices = indices
        self.values = values
    }

    /// Builds the matrix from coordinate triplets; duplicate (row, col) pairs are summed
    /// (as scipy's `coo_matrix.tocsr()`), columns sorted within each row.
    public init(rows: Int, cols: Int, rowIndex: [Int32], colIndex: [Int32], values v: [Float]) {
        precondition(rowIndex.count == colIndex.count && colIndex.count == v.count)
        var counts = [Int](repeating: 0, count: rows + 1)
        for r in rowIndex { counts[Int(r) + 1] += 1 }
        for r in 0 ..< rows { counts[r + 1] += counts[r] }
        var next = counts
        var cidx = [Int32](repeating: 0, count: v.count)
        var vals = [Float](repeating: 0, count: v.count)
        for e in 0 ..< v.count {
            let r = Int(rowIndex[e])
            cidx[next[r]] = colIndex[e]
            vals[next[r]] = v[e]
            next[r] += 1
        }
        // Sort each row by column and merge duplicates, compacting in place.
        var outPtr = [Int](repeating: 0, count: rows + 1)
        var write = 0
        var order: [Int] = []
        for r in 0 ..< rows {
            let start = counts[r], end = counts[r + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: start ..< end)
            order.sort { cidx[$0] != cidx[$1] ? cidx[$0] < cidx[$1] : $0 < $1 }
            let rowCols = order.map { cidx[$0] }, rowVals = order.map { vals[$0] }
            var i = 0
            while i < rowCols.count {
                var sum = rowVals[i]
                var j = i + 1
                while j < rowCols.count, rowCols[j] == rowCols[i] { sum += rowVals[j]; j += 1 }
                cidx[write] = rowCols[i]
                vals[write] = sum
                write += 1
                i = j
            }
            outPtr[r + 1] = write
        }
        cidx.removeSubrange(write...)
        vals.removeSubrange(write...)
        self.init(rows: rows, cols: cols, indptr: outPtr, indices: cidx, values: vals)
    }

    /// The transpose (tracks x users), also CSR with sorted columns.
    public func transposed() -> SparseMatrix {
        var ptr = [Int](repeating: 0, count: cols + 1)
        for c in indices { ptr[Int(c) + 1] += 1 }
        for c in 0 ..< cols { ptr[c + 1] += ptr[c] }
        var next = ptr
        var idx = [Int32](repeating: 0, count: nonzeros)
        var vals = [Float](repeating: 0, count: nonzeros)
        for r in 0 ..< rows {
            for e in indptr[r] ..< indptr[r + 1] {
                let c = Int(indices[e])
                idx[next[c]] = Int32(r)
                vals[next[c]] = values[e]
                next[c] += 1
            }
        }
        return SparseMatrix(rows: cols, cols: rows, indptr: ptr, indices: idx, values: vals)
    }

    /// The same pattern with every value mapped by `transform`.
    public func mapValues(_ transform: (Float) -> Float) -> SparseMatrix {
        SparseMatrix(rows: rows, cols: cols, indptr: indptr, indices: indices, values: values.map(transform))
    }

    /// Number of stored entries per column (for tracks: how many users played each).
    public func columnCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: cols)
        for c in indices { counts[Int(c)] += 1 }
        return counts
    }
}

/// Play counts read from a `user,track,count` CSV: the id tables and the sparse matrix.
public struct PlayCounts: Sendable {
    /// User ids, in order of first appearance; row r of `matrix` is `users[r]`.
    public var users: [String]
    /// Track ids, in order of first appearance; column c of `matrix` is `tracks[c]`.
    public var tracks: [String]
    /// Users x tracks, summed counts.
    public var matrix: SparseMatrix

    public init(users: [String], tracks: [String], matrix: SparseMatrix) {
        precondition(matrix.rows == users.count && matrix.cols == tracks.count)
        self.users = users
        self.tracks = tracks
        self.matrix = matrix
    }

    /// Number of CSV rows (before duplicates were summed) of the last `read`.
    public var rowsRead = 0

    /// Reads `user,track,count` rows (optional header line `user,track,count`; fields may be
    /// quoted as in RFC 4180; CRLF accepted). Counts must be finite and > 0; duplicate
    /// (user, track) rows are summed. Streams the file in 1 MiB blocks: memory is the id
    /// tables plus 12 bytes per row. Bad rows throw one line naming `path:line`.
    public static func read(csv path: String) throws -> PlayCounts {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw MelCNNError.missingFile(path: path, what: "play-count file")
        }
        guard !isDirectory.boolValue else { throw MelCNNError.invalidFile(path: path, reason: "is a folder, expected a CSV file") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw MelCNNError.invalidFile(path: path, reason: "cannot be read")
        }
        defer { try? handle.close() }
        var parser = PlayCSVParser(path: path)
        while true {
            let block: Data
            do { block = try handle.read(upToCount: 1 << 20) ?? Data() } catch {
                throw MelCNNError.invalidFile(path: path, reason: "read failed: \(error.localizedDescription)")
            }
            if block.isEmpty { break }
            try block.withUnsafeBytes { try parser.feed(UnsafeRawBufferPointer($0)) }
        }
        try parser.finish()
        guard !parser.rowUser.isEmpty else {
            throw MelCNNError.invalidFile(path: path, reason: "no plays (expected user,track,count rows)")
        }
        let matrix = SparseMatrix(rows: parser.userIDs.count, cols: parser.trackIDs.count,
                                  rowIndex: parser.rowUser, colIndex: parser.rowTrack, values: parser.rowCount)
        var plays = PlayCounts(users: parser.userIDs, tracks: parser.trackIDs, matrix: matrix)
        plays.rowsRead = parser.rowUser.count
        return plays
    }

    /// Splits the plays into training and held-out parts: each user with `n >= 2` tracks
    /// holds out `min(n - 1, round(fraction * n))` of them, chosen by a seeded shuffle
    /// (so every user keeps at least one training track). Both matrices keep the full id
    /// tables. `fraction` in [0, 1).
    public func holdout(fraction: Double, seed: UInt64) -> (train: SparseMatrix, test: SparseMatrix) {
        precondition(fraction >= 0 && fraction < 1)
        let m = matrix
        var trainRow: [Int32] = [], trainCol: [Int32] = [], trainVal: [Float] = []
        var testRow: [Int32] = [], testCol: [Int32] = [], testVal: [Float] = []
        trainRow.reserveCapacity(m.nonzeros); trainCol.reserveCapacity(m.nonzeros); trainVal.reserveCapacity(m.nonzeros)
        var rng = SeededGenerator(seed: seed ^ 0x686F_6C64_6F75_74)
        var order: [Int] = []
        for u in 0 ..< m.rows {
            let start = m.indptr[u], n = m.indptr[u + 1] - start
            let held = n >= 2 ? min(n - 1, Int((fraction * Double(n)).rounded())) : 0
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: 0 ..< n)
            for i in stride(from: n - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            var isHeld = [Bool](repeating: false, count: n)
            for i in 0 ..< held { isHeld[order[i]] = true }
            for k in 0 ..< n {
                let e = start + k
                if isHeld[k] {
                    testRow.append(Int32(u)); testCol.append(m.indices[e]); testVal.append(m.values[e])
                } else {
                    trainRow.append(Int32(u)); trainCol.append(m.indices[e]); trainVal.append(m.values[e])
                }
            }
        }
        return (SparseMatrix(rows: m.rows, cols: m.cols, rowIndex: trainRow, colIndex: trainCol, values: trainVal),
                SparseMatrix(rows: m.rows, cols: m.cols, rowIndex: testRow, colIndex: testCol, values: testVal))
    }
}

/// Byte-level `user,track,count` parser fed in blocks; keeps a partial line between blocks.
struct PlayCSVParser {
    let path: String
    var line = 0
    var carry: [UInt8] = []
    var userIDs: [String] = [], trackIDs: [String] = []
    var userIndex: [String: Int32] = [:], trackIndex: [String: Int32] = [:]
    var rowUser: [Int32] = [], rowTrack: [Int32] = [], rowCount: [Float] = []

    init(path: String) { self.path = path }

    mutating func feed(_ bytes: UnsafeRawBufferPointer) throws {
        var start = 0
        for i in 0 ..< bytes.count where bytes[i] == 0x0A {
            if carry.isEmpty {
                try parseLine(UnsafeRawBufferPointer(rebasing: bytes[start ..< i]))
            } else {
                carry.append(contentsOf: bytes[start ..< i])
                let whole = carry
                carry.removeAll(keepingCapacity: true)
                try whole.withUnsafeBytes { try parseLine($0) }
            }
            start = i + 1
        }
        carry.append(contentsOf: bytes[start...])
        guard carry.count <= 1 << 20 else { throw error("line longer than 1 MiB") }
    }

    mutating func finish() throws {
        if !carry.isEmpty {
            let whole = carry
            carry.removeAll()
            try whole.withUnsafeBytes { try parseLine($0) }
        }
    }

    func error(_ reason: String) -> MelCNNError {
        .invalidArgument("\(path):\(line): \(reason)")
    }

    mutating func parseLine(_ raw: UnsafeRawBufferPointer) throws {
        line += 1
        var end = raw.count
        if end > 0, raw[end - 1] == 0x0D { end -= 1 }
        if line == 1, end >= 3, raw[0] == 0xEF, raw[1] == 0xBB, raw[2] == 0xBF {  // UTF-8 BOM
            return try parseFields(UnsafeRawBufferPointer(rebasing: raw[3 ..< end]))
        }
        try parseFields(UnsafeRawBufferPointer(rebasing: raw[0 ..< end]))
    }

    mutating func parseFields(_ text: UnsafeRawBufferPointer) throws {
        if text.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }  // blank line
        var fields: (String, String, String) = ("", "", "")
        var n = 0
        var i = 0
        while true {
            let field: String
            if i < text.count, text[i] == 0x22 {  // quoted field, "" is a quote
                var bytes: [UInt8] = []
                i += 1
                var closed = false
                while i < text.count {
                    if text[i] == 0x22 {
                        if i + 1 < text.count, text[i + 1] == 0x22 { bytes.append(0x22); i += 2; continue }
                        i += 1; closed = true; break
                    }
                    bytes.append(text[i]); i += 1
                }
                guard closed else { throw error("unterminated quoted field") }
                guard i == text.count || text[i] == 0x2C else { throw error("text after a closing quote") }
                guard let s = String(validating: bytes, as: UTF8.self) else { throw error("not UTF-8 text") }
                field = s
            } else {
                var start = i
                while i < text.count, text[i] != 0x2C { i += 1 }
                var end = i
                while start < end, text[start] == 0x20 || text[start] == 0x09 { start += 1 }
                while end > start, text[end - 1] == 0x20 || text[end - 1] == 0x09 { end -= 1 }
                guard let s = String(validating: UnsafeRawBufferPointer(rebasing: text[start ..< end]), as: UTF8.self) else {
                    throw error("not UTF-8 text")
                }
                field = s
            }
            switch n {
            case 0: fields.0 = field
            case 1: fields.1 = field
            case 2: fields.2 = field
            default: throw error("expected 3 fields user,track,count, got more")
            }
            n += 1
            if i >= text.count { break }
            i += 1  // the comma
            if i == text.count { n += 1; break }
        }
        guard n == 3 else { throw error("expected 3 fields user,track,count, got \(n)") }
        let (user, track, countText) = fields
        if line == 1, rowUser.isEmpty, user.lowercased() == "user", track.lowercased() == "track",
           countText.lowercased() == "count" { return }  // header
        guard !user.isEmpty else { throw error("empty user id") }
        guard !track.isEmpty else { throw error("empty track id") }
        guard let count = Float(countText), count.isFinite, count > 0 else {
            throw error("count must be a finite number > 0, got \"\(countText)\"")
        }
        guard rowUser.count < Int(Int32.max) else { throw error("more than 2^31 rows") }
        let u: Int32
        if let known = userIndex[user] { u = known } else {
            u = Int32(userIDs.count); userIndex[user] = u; userIDs.append(user)
        }
        let t: Int32
        if let known = trackIndex[track] { t = known } else {
            t = Int32(trackIDs.count); trackIndex[track] = t; trackIDs.append(track)
        }
        rowUser.append(u); rowTrack.append(t); rowCount.append(count)
    }
}
