import Foundation
import HDF5

/// Where `TrainingTracks.load` keeps the log-mels (config key `data.storage`).
public enum TrackStorage: String, CaseIterable, Sendable {
    /// Memory when the selected tracks' log-mels fit in the memory budget
    /// (`data.memory_budget_mb`), streaming otherwise.
    case auto
    /// Read every selected track once and hold it standardised in memory.
    case memory
    /// Keep `/mels` open and read each patch's rows when it is needed.
    case stream
}

/// The open `/mels` of a streamed data set: reads the rows of one patch with a hyperslab
/// read and standardises them exactly as the in-memory path does. Reads are serialised
/// (the prefetch thread and the consumer may both build batches); a failed read leaves
/// zeros and is kept in `firstError` for `TrainingTracks.throwReadError()`.
final class MelRowReader: @unchecked Sendable {
    private let file: H5File
    private let dataset: H5Dataset
    private let lock = NSLock()
    let nMels: Int
    let mean: [Float]
    let scale: [Float]
    /// Per held track: first row in `/mels` and number of frames.
    let offsets: [Int]
    let frames: [Int]
    private var rows = 0
    private var error: Error?

    init(file: H5File, dataset: H5Dataset, nMels: Int, mean: [Float], scale: [Float], offsets: [Int], frames: [Int]) {
        self.file = file
        self.dataset = dataset
        self.nMels = nMels
        self.mean = mean
        self.scale = scale
        self.offsets = offsets
        self.frames = frames
    }

    deinit {
        dataset.close()
        file.close()
    }

    /// Rows read from the file so far.
    var rowsRead: Int { lock.lock(); defer { lock.unlock() }; return rows }
    var firstError: Error? { lock.lock(); defer { lock.unlock() }; return error }

    /// As `TrainingTracks.copyPatch`: frames past the end of the track are 0.
    func copyPatch(track: Int, start: Int, patchFrames: Int, into out: inout [Float], at offset: Int) {
        let n = frames[track]
        let first = min(max(start, 0), n), last = min(max(start + patchFrames, 0), n)
        var block: [Float] = []
        if last > first {
            lock.lock()
            do {
                let range = (offsets[track] + first) ..< (offsets[track] + last)
                block = try dataset.readRows(range)
                rows += last - first
                if let k = block.firstIndex(where: { !$0.isFinite }) {
                    let value = block[k]
                    block = []
                    throw MelCNNError.invalidFile(path: file.filePath, reason: "/mels row \(range.lowerBound + k / nMels) holds \(value) (damaged file?)")
                }
            } catch {
                if self.error == nil { self.error = error }
            }
            lock.unlock()
        }
        let have = block.count / nMels
        block.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for f in 0 ..< patchFrames {
                    let i = start + f - first // row of `block` holding frame start + f
                    if start + f >= first, i < have {
                        for b in 0 ..< nMels { dst[offset + b * patchFrames + f] = (src[i * nMels + b] - mean[b]) * scale[b] }
                    } else {
                        for b in 0 ..< nMels { dst[offset + b * patchFrames + f] = 0 }
                    }
                }
            }
        }
    }
}
