import Foundation

/// Appends rows to an extendable chunked dataset with its chunks compressed in parallel.
///
/// Rows arrive in order on one thread (`append`); they are gathered into whole chunks,
/// each chunk is encoded (`H5Dataset.chunkEncoder(strategy:)`: shuffle + deflate as the
/// dataset declares) on a background thread, and stored with `writeEncodedChunk`. At most
/// `inFlight` chunks wait or compress at once, so memory stays bounded. `finish()`
/// pads and writes the last partial chunk and sets the final row count; the file then
/// reads exactly as if the rows had been written with `append`.
public final class H5ParallelAppender<T: H5Scalar & AdditiveArithmetic>: @unchecked Sendable {
    private let dataset: H5Dataset
    private let encoder: H5ChunkEncoder
    private let chunkRows: Int
    private let rowSize: Int
    private let slots: DispatchSemaphore
    private let group = DispatchGroup()
    private let lock = NSLock() // guards `error` and every HDF5 call on `dataset`
    private var error: Error?
    private var pending: [T] = []
    private var pendingStart = 0
    /// Encoded bytes stored since the kernel was last asked to write back (guarded by `lock`).
    private var bytesSinceWriteback = 0
    /// Every this many stored bytes, `startWriteback()` (so the closing fsync waits less).
    private static var writebackBytes: Int { 16 << 20 }
    /// Rows appended so far.
    public private(set) var rows = 0

    /// `strategy`: how the deflate filter's streams are made (`.planes`, the default, is
    /// about 5x faster than `.runLength` on shuffled floats for 1% more bytes).
    public init(dataset: H5Dataset, inFlight: Int = 4, strategy: H5ChunkEncoder.Strategy = .planes) throws {
        guard let chunk = try dataset.chunkShape, try dataset.maxShape.first == .some(nil) else {
            throw dataset.context.invalid("parallel appends need an extendable chunked dataset")
        }
        guard chunk.dropFirst() == (try dataset.shape).dropFirst()[...] else {
            throw dataset.context.invalid("parallel appends need chunks of whole rows (chunks \(chunk))")
        }
        self.dataset = dataset
        encoder = try dataset.chunkEncoder(strategy: strategy)
        chunkRows = chunk[0]
        rowSize = chunk.dropFirst().reduce(1, *)
        rows = try dataset.shape[0]
        guard rows % chunkRows == 0 else { throw dataset.context.invalid("parallel appends need a dataset ending on a chunk boundary") }
        pendingStart = rows
        slots = DispatchSemaphore(value: max(1, inFlight))
        pending.reserveCapacity(chunkRows * rowSize)
    }

    /// Appends whole rows (flat row-major); throws the first error a background write met.
    public func append(_ values: [T]) throws {
        try throwIfFailed()
        guard values.count % rowSize == 0 else {
            throw dataset.context.shape("\(values.count) values is not a whole number of rows of \(rowSize)")
        }
        var i = 0
        while i < values.count {
            let take = min(values.count - i, chunkRows * rowSize - pending.count)
            pending.append(contentsOf: values[i ..< i + take])
            i += take
            if pending.count == chunkRows * rowSize { try submit(rows: chunkRows) }
        }
        rows += values.count / rowSize
    }

    /// Writes the last (zero-padded) chunk, waits for every chunk, sets the row count.
    public func finish() throws {
        if !pending.isEmpty {
            let real = pending.count / rowSize
            pending.append(contentsOf: repeatElement(T.zero, count: chunkRows * rowSize - pending.count))
            try submit(rows: real)
        }
        group.wait()
        try throwIfFailed()
        lock.lock()
        defer { lock.unlock() }
        try dataset.setRowCount(rows)
    }

    /// Waits until every submitted chunk is stored or has failed (call before giving up
    /// on the file after an error, so no background write outlives it).
    public func waitForBackgroundWrites() {
        group.wait()
    }

    /// Encodes and stores `pending` (a whole chunk holding `real` rows of data) in the background.
    private func submit(rows real: Int) throws {
        let chunk = pending, start = pendingStart
        pending = []
        pending.reserveCapacity(chunkRows * rowSize)
        pendingStart += chunkRows
        lock.lock()
        do {
            // The chunk must lie inside the dataset's shape before it is stored (grown to its
            // real rows only, so the shape never shrinks and HDF5 never rewrites a chunk).
            if try dataset.shape[0] < start + real { try dataset.setRowCount(start + real) }
        } catch {
            lock.unlock()
            throw error
        }
        lock.unlock()
        slots.wait()
        DispatchQueue.global().async(group: group) { [self] in
            defer { slots.signal() }
            do {
                let bytes = try encoder.encode(chunk)
                lock.lock()
                defer { lock.unlock() }
                if error == nil {
                    try dataset.writeEncodedChunk(bytes, row: start)
                    bytesSinceWriteback += bytes.count
                    if bytesSinceWriteback >= Self.writebackBytes {
                        bytesSinceWriteback = 0
                        dataset.startWriteback()
                    }
                }
            } catch {
                lock.lock()
                if self.error == nil { self.error = error }
                lock.unlock()
            }
        }
    }

    private func throwIfFailed() throws {
        lock.lock()
        defer { lock.unlock() }
        if let error { throw error }
    }
}
