/// HDF5's Fletcher-32 checksum, the one its `fletcher32` filter appends to each stored
/// chunk; `H5ChunkEncoder` computes it so chunks written with `H5Dwrite_chunk` verify
/// when libhdf5, h5py or h5dump read them.
enum Fletcher32 {
    /// The checksum of `bytes` as libhdf5's `H5_checksum_fletcher32` (H5checksum.c) computes
    /// it: big-endian 16-bit words (byte 0 high), sums folded to 16 bits every 360 words
    /// (the most that cannot overflow 32 bits), an odd last byte taken as the high byte of a
    /// word, then one more fold; `sum2 << 16 | sum1`.
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var sum1: UInt32 = 0, sum2: UInt32 = 0
        var words = bytes.count / 2, i = 0
        while words > 0 {
            let block = min(words, 360)
            words -= block
            for _ in 0 ..< block {
                sum1 &+= UInt32(bytes[i]) << 8 | UInt32(bytes[i + 1])
                sum2 &+= sum1
                i += 2
            }
            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16)
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16)
        }
        if bytes.count % 2 == 1 {
            sum1 &+= UInt32(bytes[i]) << 8
            sum2 &+= sum1
            sum1 = (sum1 & 0xFFFF) + (sum1 >> 16)
            sum2 = (sum2 & 0xFFFF) + (sum2 >> 16)
        }
        sum1 = (sum1 & 0xFFFF) + (sum1 >> 16)
        sum2 = (sum2 & 0xFFFF) + (sum2 >> 16)
        return sum2 << 16 | sum1
    }

    /// `bytes` with their checksum appended little-endian, as `H5Z_filter_fletcher32`
    /// stores a chunk (H5Zfletcher32.c: `UINT32ENCODE` after the data).
    static func appendingChecksum(_ bytes: [UInt8]) -> [UInt8] {
        let sum = bytes.withUnsafeBytes { checksum($0) }
        var out = bytes
        out.reserveCapacity(bytes.count + 4)
        for shift in [0, 8, 16, 24] as [UInt32] { out.append(UInt8(truncatingIfNeeded: sum >> shift)) }
        return out
    }
}
