import CHDF5
import CPlaneDeflate
import Foundation

/// The `.planes` encoding of `H5ChunkEncoder`: a zlib stream (RFC 1950) whose deflate
/// data (RFC 1951) has one segment per byte plane of a shuffled chunk. A plane whose
/// sampled byte entropy says it will not shrink (the low mantissa bytes of floats) is
/// copied in stored blocks; every other plane is one dynamic-Huffman block of literals
/// (no string matching), ended on a byte boundary. zlib's inflate, and so HDF5's deflate
/// filter, h5py and h5dump, read the result like any other deflate stream.
enum PlaneDeflate {
    /// Planes whose sampled order-0 entropy is above this many bits per byte are stored.
    static let storeAboveBits = 7.0

    /// Encodes `data` (already shuffled) cut into `planes` equal segments (the last one
    /// also takes any leftover bytes).
    static func encode(_ data: UnsafeBufferPointer<UInt8>, planes: Int) -> [UInt8] {
        let total = data.count
        let planeSize = max(1, total / max(1, planes))
        var segments: [Range<Int>] = []
        var start = 0
        while start < total {
            let end = (segments.count == planes - 1 || start + planeSize >= total) ? total : start + planeSize
            segments.append(start ..< end)
            start = end
        }
        // Worst case: every segment stored (5 bytes per 65535), an empty stored block per
        // segment, header and checksum.
        let capacity = 6 + total + 5 * (total / 65535 + 2 * segments.count + 1) + 16
        let out = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            let base = buffer.baseAddress!
            var pos = 0
            base[0] = 0x78 // CMF: deflate, 32 KiB window
            base[1] = 0x01 // FLG: (0x78 * 256 + 0x01) % 31 == 0, no dictionary
            pos = 2
            var histogram = [UInt32](repeating: 0, count: 256)
            if segments.isEmpty { pos += storedBlocks(UnsafeBufferPointer(start: nil, count: 0), final: true, into: base + pos) }
            for (k, range) in segments.enumerated() {
                let last = k == segments.count - 1
                let segment = UnsafeBufferPointer(rebasing: data[range])
                var written = -1
                if !range.isEmpty, sampledEntropy(segment) <= storeAboveBits {
                    fullHistogram(segment, into: &histogram)
                    written = huffmanBlock(segment, histogram: histogram, final: last, into: base + pos,
                                           limit: segment.count)
                }
                if written < 0 { written = storedBlocks(segment, final: last, into: base + pos) }
                pos += written
            }
            let adler = adler32(data)
            for shift in [24, 16, 8, 0] { base[pos] = UInt8(truncatingIfNeeded: adler >> UInt32(shift)); pos += 1 }
            count = pos
        }
        return out
    }

    /// The Adler-32 checksum of `bytes` (RFC 1950), as zlib's `adler32(1, ...)`
    /// (`melcnn_adler32`: 32-byte blocks with AVX2, a += sum x, b += 32 a + sum (32 - k) x_k).
    static func adler32(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        guard let p = bytes.baseAddress else { return 1 }
        return melcnn_adler32(1, p, bytes.count)
    }

    /// Order-0 entropy in bits per byte of at most 1024 evenly spaced bytes of `bytes`
    /// (log2(n) - sum(c log2 c) / n, with c log2 c from a table).
    static func sampledEntropy(_ bytes: UnsafeBufferPointer<UInt8>) -> Double {
        let step = max(1, bytes.count / 1024)
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { counts in
            counts.initialize(repeating: 0)
            var n = 0, i = 0
            while i < bytes.count && n < 1024 {
                counts[Int(bytes[i])] += 1
                n += 1
                i += step
            }
            var sum = 0.0
            cLog2C.withUnsafeBufferPointer { table in
                for c in counts where c > 1 { sum += table[Int(c)] }
            }
            return log2(Double(n)) - sum / Double(n)
        }
    }

    /// `c * log2(c)` for c in 0...1024.
    private static let cLog2C: [Double] = (0 ... 1024).map { $0 < 2 ? 0 : Double($0) * log2(Double($0)) }

    /// Byte counts of `bytes` (four interleaved tables, summed).
    static func fullHistogram(_ bytes: UnsafeBufferPointer<UInt8>, into histogram: inout [UInt32]) {
        var tables = [UInt32](repeating: 0, count: 1024)
        tables.withUnsafeMutableBufferPointer { t in
            let n = bytes.count, quads = n / 4
            for q in 0 ..< quads {
                t[Int(bytes[4 * q])] &+= 1
                t[256 + Int(bytes[4 * q + 1])] &+= 1
                t[512 + Int(bytes[4 * q + 2])] &+= 1
                t[768 + Int(bytes[4 * q + 3])] &+= 1
            }
            for i in 4 * quads ..< n { t[Int(bytes[i])] &+= 1 }
        }
        for s in 0 ..< 256 { histogram[s] = tables[s] &+ tables[256 + s] &+ tables[512 + s] &+ tables[768 + s] }
    }

    /// `bytes` as stored blocks (each at most 65535 bytes), the last one final if `final`.
    /// Starts and ends on a byte boundary. Returns the bytes written.
    static func storedBlocks(_ bytes: UnsafeBufferPointer<UInt8>, final: Bool, into out: UnsafeMutablePointer<UInt8>) -> Int {
        var pos = 0, start = 0
        repeat {
            let length = min(65535, bytes.count - start)
            let lastBlock = start + length == bytes.count
            out[pos] = final && lastBlock ? 1 : 0 // BFINAL, BTYPE 00, padding to the byte boundary
            out[pos + 1] = UInt8(length & 0xFF)
            out[pos + 2] = UInt8(length >> 8)
            out[pos + 3] = ~UInt8(length & 0xFF)
            out[pos + 4] = ~UInt8(length >> 8)
            pos += 5
            if length > 0 { (out + pos).update(from: bytes.baseAddress! + start, count: length) }
            pos += length
            start += length
        } while start < bytes.count
        return pos
    }

    /// `bytes` as one dynamic-Huffman block of literals (RFC 1951 3.2.7) followed, unless
    /// `final`, by an empty stored block so that the segment ends on a byte boundary (as
    /// zlib's Z_FULL_FLUSH). Returns the bytes written, or -1 (nothing usable written)
    /// when that would be `limit` bytes or more.
    static func huffmanBlock(_ bytes: UnsafeBufferPointer<UInt8>, histogram: [UInt32], final: Bool,
                             into out: UnsafeMutablePointer<UInt8>, limit: Int) -> Int {
        // Literal/length alphabet: the 256 byte values and end-of-block (256).
        var frequencies = histogram.map { Int($0) }
        frequencies.append(1)
        let literalLengths = HuffmanCode.lengths(frequencies, maxBits: 15)
        let literal = HuffmanCode(lengths: literalLengths)
        // Two distance codes of one bit (none is used; zlib's deflate does the same).
        let distanceLengths: [UInt8] = [1, 1]

        // Code lengths as the code-length alphabet: 0-15 literal, 16 repeat previous 3-6,
        // 17 zeros 3-10, 18 zeros 11-138.
        var symbols: [(symbol: Int, extra: UInt32, extraBits: Int)] = []
        let all = literalLengths + distanceLengths
        var i = 0
        while i < all.count {
            let length = all[i]
            var run = 1
            while i + run < all.count, all[i + run] == length { run += 1 }
            var left = run
            if length == 0 {
                while left >= 11 { let k = min(left, 138); symbols.append((18, UInt32(k - 11), 7)); left -= k }
                if left >= 3 { symbols.append((17, UInt32(left - 3), 3)); left = 0 }
                while left > 0 { symbols.append((0, 0, 0)); left -= 1 }
            } else {
                symbols.append((Int(length), 0, 0))
                left -= 1
                while left >= 3 { let k = min(left, 6); symbols.append((16, UInt32(k - 3), 2)); left -= k }
                while left > 0 { symbols.append((Int(length), 0, 0)); left -= 1 }
            }
            i += run
        }
        var clFrequencies = [Int](repeating: 0, count: 19)
        for s in symbols { clFrequencies[s.symbol] += 1 }
        let clLengths = HuffmanCode.lengths(clFrequencies, maxBits: 7)
        let clCode = HuffmanCode(lengths: clLengths)
        let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
        var hclen = 19
        while hclen > 4, clLengths[order[hclen - 1]] == 0 { hclen -= 1 }

        // Exact size before writing anything.
        var bits = 3 + 5 + 5 + 4 + 3 * hclen
        for s in symbols { bits += Int(clLengths[s.symbol]) + s.extraBits }
        for b in 0 ..< 257 { bits += frequencies[b] * Int(literalLengths[b]) }
        let size = (bits + 7) / 8 + (final ? 0 : 5)
        guard size < limit else { return -1 }

        var writer = BitWriter(out: out)
        writer.put(final ? 1 : 0, 1)
        writer.put(2, 2) // BTYPE 10: dynamic Huffman
        writer.put(UInt32(literalLengths.count - 257), 5)
        writer.put(UInt32(distanceLengths.count - 1), 5)
        writer.put(UInt32(hclen - 4), 4)
        for k in 0 ..< hclen { writer.put(UInt32(clLengths[order[k]]), 3) }
        for s in symbols {
            writer.put(clCode.codes[s.symbol], Int(clLengths[s.symbol]))
            if s.extraBits > 0 { writer.put(s.extra, s.extraBits) }
        }
        // Code and length of each byte value in one word: code << 8 | length.
        var table = [UInt32](repeating: 0, count: 256)
        for b in 0 ..< 256 { table[b] = literal.codes[b] << 8 | UInt32(literalLengths[b]) }
        table.withUnsafeBufferPointer { writer.putCodes(bytes, table: $0) }
        writer.put(literal.codes[256], Int(literalLengths[256]))
        if !final { writer.put(0, 3) } // empty stored block: BFINAL 0, BTYPE 00
        writer.alignToByte()
        if !final {
            for byte: UInt8 in [0x00, 0x00, 0xFF, 0xFF] { writer.byte(byte) }
        }
        return writer.position
    }
}

/// Canonical Huffman codes (RFC 1951 3.2.2), bit-reversed for deflate's LSB-first packing.
struct HuffmanCode {
    let codes: [UInt32]

    init(lengths: [UInt8]) {
        var counts = [Int](repeating: 0, count: 16)
        for l in lengths where l > 0 { counts[Int(l)] += 1 }
        var next = [UInt32](repeating: 0, count: 16)
        var code: UInt32 = 0
        for bits in 1 ..< 16 {
            code = (code + UInt32(counts[bits - 1])) << 1
            next[bits] = code
        }
        var codes = [UInt32](repeating: 0, count: lengths.count)
        for (symbol, l) in lengths.enumerated() where l > 0 {
            let c = next[Int(l)]
            next[Int(l)] += 1
            var reversed: UInt32 = 0
            for k in 0 ..< Int(l) where c & (1 << UInt32(k)) != 0 { reversed |= 1 << UInt32(Int(l) - 1 - k) }
            codes[symbol] = reversed
        }
        self.codes = codes
    }

    /// Huffman code lengths of at most `maxBits` for `frequencies`: 0 for unused symbols,
    /// and at least two symbols coded (one bit each if fewer are used), as deflate needs.
    /// When the optimal code is too deep the frequencies are halved (rounding up) and the
    /// code rebuilt, which flattens it until it fits.
    static func lengths(_ frequencies: [Int], maxBits: Int) -> [UInt8] {
        var f = frequencies
        var lengths = [UInt8](repeating: 0, count: f.count)
        let used = f.indices.filter { f[$0] > 0 }
        if used.count < 2 {
            let first = used.first ?? 0
            lengths[first] = 1
            lengths[first == 0 ? 1 : 0] = 1
            return lengths
        }
        while true {
            // Two-queue Huffman: leaves sorted by frequency, internal nodes made in order.
            let leaves = used.sorted { (f[$0], $0) < (f[$1], $1) }
            let n = leaves.count
            var weight = leaves.map { f[$0] }
            weight.reserveCapacity(2 * n - 1)
            var parent = [Int](repeating: -1, count: 2 * n - 1)
            var nextLeaf = 0, nextNode = n
            for _ in 0 ..< n - 1 {
                var pair = [0, 0]
                for p in 0 ..< 2 {
                    if nextLeaf < n, nextNode >= weight.count || weight[nextLeaf] <= weight[nextNode] {
                        pair[p] = nextLeaf
                        nextLeaf += 1
                    } else {
                        pair[p] = nextNode
                        nextNode += 1
                    }
                }
                parent[pair[0]] = weight.count
                parent[pair[1]] = weight.count
                weight.append(weight[pair[0]] + weight[pair[1]])
            }
            var depth = [Int](repeating: 0, count: 2 * n - 1)
            for k in stride(from: 2 * n - 3, through: 0, by: -1) { depth[k] = depth[parent[k]] + 1 }
            if depth[0 ..< n].max()! <= maxBits {
                for k in 0 ..< n { lengths[leaves[k]] = UInt8(depth[k]) }
                return lengths
            }
            for s in used { f[s] = (f[s] + 1) / 2 }
        }
    }
}

/// Packs bits least-significant first (deflate's order) into a byte buffer.
struct BitWriter {
    let out: UnsafeMutablePointer<UInt8>
    private(set) var position = 0
    private var accumulator: UInt64 = 0
    private var count = 0

    init(out: UnsafeMutablePointer<UInt8>) { self.out = out }

    /// Appends the low `bits` (at most 32) bits of `value`.
    @inline(__always)
    mutating func put(_ value: UInt32, _ bits: Int) {
        accumulator |= UInt64(value) << UInt64(count)
        count += bits
        if count >= 32 {
            UnsafeMutableRawPointer(out + position).storeBytes(of: UInt32(truncatingIfNeeded: accumulator).littleEndian, as: UInt32.self)
            position += 4
            accumulator >>= 32
            count -= 32
        }
    }

    /// Appends the codes of `bytes`, `table[b] = code << 8 | length` (`melcnn_put_codes`).
    mutating func putCodes(_ bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt32>) {
        guard let p = bytes.baseAddress else { return }
        melcnn_put_codes(p, bytes.count, table.baseAddress!, out, &position, &accumulator, &count)
    }

    /// Pads with zero bits to the next byte boundary and writes out every pending bit.
    mutating func alignToByte() {
        while count > 0 {
            out[position] = UInt8(truncatingIfNeeded: accumulator)
            position += 1
            accumulator >>= 8
            count -= 8
        }
        count = 0
        accumulator = 0
    }

    /// Appends one byte (only on a byte boundary).
    mutating func byte(_ value: UInt8) {
        out[position] = value
        position += 1
    }
}
