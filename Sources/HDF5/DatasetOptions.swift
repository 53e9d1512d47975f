/// How a dataset is stored: contiguous (the default), or chunked with optional
/// gzip + shuffle compression and an extendable (unlimited) first dimension.
///
/// Compression, shuffle, `fletcher32` and `extendable` all imply chunking; when `chunks` is
/// nil a chunk shape is chosen: whole rows (all dimensions after the first),
/// about 64 KiB per chunk (512 rows of 32 float32 values; 128 rows of a
/// 128-mel spectrogram), small enough that a random patch read decompresses little.
public struct H5DatasetOptions: Sendable, Equatable {
    /// Chunk shape, one entry per dimension, each > 0; nil lets the module choose.
    public var chunks: [Int]?
    /// gzip (deflate) level 0...9, or nil for no compression.
    public var gzipLevel: Int?
    /// Byte-shuffle filter before gzip (helps float data compress).
    public var shuffle: Bool
    /// Makes the first dimension unlimited so that `append` can grow it.
    public var extendable: Bool
    /// Appends HDF5's Fletcher-32 checksum to every chunk (the last filter), so that a
    /// damaged chunk is a read error rather than wrong numbers.
    public var fletcher32: Bool

    public init(chunks: [Int]? = nil, gzipLevel: Int? = nil, shuffle: Bool = false, extendable: Bool = false,
                fletcher32: Bool = false) {
        self.chunks = chunks
        self.gzipLevel = gzipLevel
        self.shuffle = shuffle
        self.extendable = extendable
        self.fletcher32 = fletcher32
    }

    /// Contiguous storage, fixed shape.
    public static let contiguous = H5DatasetOptions()

    /// Chunked storage with shuffle + gzip at `level` (h5py's `compression="gzip", shuffle=True`).
    public static func compressed(level: Int = 4, extendable: Bool = false, chunks: [Int]? = nil) -> H5DatasetOptions {
        H5DatasetOptions(chunks: chunks, gzipLevel: level, shuffle: true, extendable: extendable)
    }

    /// True when the options need chunked storage.
    var isChunked: Bool { chunks != nil || gzipLevel != nil || shuffle || extendable || fletcher32 }

    /// The chunk shape for a dataset of `shape` with elements of `elementSize` bytes.
    func chunkShape(for shape: [Int], elementSize: Int) -> [Int] {
        if let chunks { return chunks }
        let rowElements = shape.dropFirst().reduce(1) { $0 * max($1, 1) }
        let rowBytes = max(1, rowElements * max(elementSize, 1))
        var rows = max(1, (64 * 1024) / rowBytes)
        if !extendable, let first = shape.first { rows = min(rows, max(first, 1)) }
        return [rows] + shape.dropFirst().map { max($0, 1) }
    }
}
