import FileOutput
import Foundation

/// One row of a run's `metrics.csv`: the state after an epoch.
public struct EpochMetrics: Equatable, Sendable {
    public var epoch: Int
    public var step: Int
    public var trainLoss: Double
    public var trainAccuracy: Double
    public var valLoss: Double
    public var valPatchAccuracy: Double
    public var valTrackAccuracy: Double
    public var lr: Double
    public var samplesPerSecond: Double
    public var seconds: Double
    /// Share of the epoch's step time spent waiting for batches from the sampler.
    public var dataWaitShare: Double

    public init(epoch: Int, step: Int, trainLoss: Double, trainAccuracy: Double, valLoss: Double,
                valPatchAccuracy: Double, valTrackAccuracy: Double, lr: Double,
                samplesPerSecond: Double, seconds: Double, dataWaitShare: Double) {
        self.epoch = epoch
        self.step = step
        self.trainLoss = trainLoss
        self.trainAccuracy = trainAccuracy
        self.valLoss = valLoss
        self.valPatchAccuracy = valPatchAccuracy
        self.valTrackAccuracy = valTrackAccuracy
        self.lr = lr
        self.samplesPerSecond = samplesPerSecond
        self.seconds = seconds
        self.dataWaitShare = dataWaitShare
    }

    public static let csvHeader =
        "epoch,step,train_loss,train_acc,val_loss,val_patch_acc,val_track_acc,lr,samples_per_s,seconds,data_wait_share"

    public var csvRow: String {
        String(format: "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6g,%.1f,%.3f,%.4f", epoch, step, trainLoss, trainAccuracy,
               valLoss, valPatchAccuracy, valTrackAccuracy, lr, samplesPerSecond, seconds, dataWaitShare)
    }

    /// Parses a `csvRow` (nil for a header or a malformed line).
    public init?(csvRow line: String) {
        let f = line.split(separator: ",").map(String.init)
        guard f.count == 11, let epoch = Int(f[0]), let step = Int(f[1]) else { return nil }
        let d = f[2...].compactMap(Double.init)
        guard d.count == 9 else { return nil }
        self.init(epoch: epoch, step: step, trainLoss: d[0], trainAccuracy: d[1], valLoss: d[2],
                  valPatchAccuracy: d[3], valTrackAccuracy: d[4], lr: d[5], samplesPerSecond: d[6],
                  seconds: d[7], dataWaitShare: d[8])
    }
}

/// Writes `metrics.csv` in full after each epoch (atomically, via a temporary file), so a
/// resumed run can rewrite the rows it keeps and an interrupted write leaves the old file.
public struct MetricsLog: Sendable {
    public let url: URL
    public private(set) var rows: [EpochMetrics] = []

    /// Opens `url`; with `keepingThrough` the existing rows up to that epoch are kept (resume).
    public init(url: URL, keepingThrough epoch: Int? = nil) {
        self.url = url
        if let epoch, let text = try? String(contentsOf: url, encoding: .utf8) {
            rows = text.split(separator: "\n").compactMap { EpochMetrics(csvRow: String($0)) }.filter { $0.epoch <= epoch }
        }
    }

    public mutating func append(_ row: EpochMetrics) throws {
        rows.append(row)
        let text = ([EpochMetrics.csvHeader] + rows.map(\.csvRow)).joined(separator: "\n") + "\n"
        try writeFileAtomically(Data(text.utf8), to: url)
    }
}

/// Writes `data` to a temporary name in the destination folder, fsyncs it and renames it
/// into place (HDF5's `atomicWrite`: a missing or unwritable folder, or a directory in the
/// way, fails before anything is written; a full disk fails with one line naming `url`
/// and "no space left on device", leaving the previous file).
public func writeFileAtomically(_ data: Data, to url: URL) throws {
    try atomicWrite(to: url.path, bytes: data)
}
