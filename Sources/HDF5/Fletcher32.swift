import CPlaneDeflate

/// HDF5's Fletcher-32 checksum, the one its `fletcher32` filter appends to each stored
/// chunk; `H5ChunkEncoder` computes it so chunks written with `H5Dwrite_chunk` verify
/// when libhdf5, h5py or h5dump read them.
enum Fletcher32 {
    /// The checksum of `bytes` as libhdf5's `H5_checksum_fletcher32` (H5checksum.c) computes
    /// it: big-endian 16-bit words (byte 0 high), sums folded to 16 bits every 360 words, an
    /// odd last byte taken as the high byte of a word, then one more fold; `sum2 << 16 |
    /// sum1` (`melcnn_fletcher32`, CPlaneDeflate: AVX2 where allowed, plain C otherwise).
    static func checksum(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        guard let base = bytes.baseAddress else { return melcnn_fletcher32(nil, 0) }
        return melcnn_fletcher32(base.assumingMemoryBound(to: UInt8.self), bytes.count)
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
