import DSP
import Foundation
import HDF5

/// Descriptions in words of melcnn's HDF5 files, for `melcnn info`: what a dataset.h5
/// holds (classes, tracks per split, DSP parameters, skipped inputs) and what a
/// checkpoint.h5 holds (architecture, epoch, metrics). Each returns nil for a file of
/// another kind.
public enum FileSummaries {
    /// Lines describing a dataset.h5, or nil when `file` is not one.
    public static func dataset(_ file: H5File) throws -> [String]? {
        let a = file.attributes
        guard (try? a.readString("format")) == MelDataset.format else { return nil }
        var lines = ["melcnn dataset (format version \(number(try? a.value("version"))))"]
        let classes = (try? file.openDataset("classes").readStrings()) ?? []
        let labels: [Int32] = (try? file.openDataset("tracks/label").read()) ?? []
        let splits: [UInt8] = (try? file.openDataset("tracks/split").read()) ?? []
        let frames: [Int32] = (try? file.openDataset("tracks/frames").read()) ?? []
        var perSplit = [0, 0, 0]
        for s in splits where s < 3 { perSplit[Int(s)] += 1 }
        var perClass = [Int](repeating: 0, count: classes.count)
        for l in labels where l >= 0 && Int(l) < classes.count { perClass[Int(l)] += 1 }
        let tags: [UInt8] = (try? file.openDataset("tracks/tags").read()) ?? []
        if !classes.isEmpty, tags.count == labels.count * classes.count, !tags.isEmpty {
            // A multi-label set: tracks per tag, not per first tag.
            var perTag = [Int](repeating: 0, count: classes.count)
            for (i, v) in tags.enumerated() where v != 0 { perTag[i % classes.count] += 1 }
            lines.append("  tags: \(classes.count), " + String(format: "%.1f", Double(perTag.reduce(0, +)) / Double(max(1, labels.count)))
                + " per track: " + zip(classes, perTag).map { "\($0) (\($1))" }.joined(separator: ", "))
        } else {
            lines.append("  classes: \(classes.count): " + zip(classes, perClass).map { "\($0) (\($1))" }.joined(separator: ", "))
        }
        let totalFrames = frames.reduce(0) { $0 + Int($1) }
        let sr = double(try? a.value("sample_rate")) ?? 0, hop = double(try? a.value("hop_length")) ?? 0
        let hours = sr > 0 ? Double(totalFrames) * hop / sr / 3600 : 0
        lines.append("  tracks: \(labels.count) (train \(perSplit[0]), validation \(perSplit[1]), test \(perSplit[2])), "
            + "\(totalFrames) frames (\(String(format: "%.2f", hours)) h of audio)")
        if let split = try? a.readString("split") { lines.append("  split: \(split)") }
        lines.append("  log-mel: " + dspLine(a))
        if let shape = try? file.openDataset("mels").shape { lines.append("  /mels: \(shape.map(String.init).joined(separator: " x ")) float32") }
        let skipped = (try? file.openDataset("skipped/path").readStrings()) ?? []
        let reasons = (try? file.openDataset("skipped/reason").readStrings()) ?? []
        lines.append("  skipped inputs: \(skipped.count)")
        for (i, path) in skipped.prefix(10).enumerated() { lines.append("    \(path): \(i < reasons.count ? reasons[i] : "")") }
        if skipped.count > 10 { lines.append("    ... and \(skipped.count - 10) more") }
        return lines
    }

    /// Lines describing a checkpoint.h5, or nil when `file` is not one.
    public static func checkpoint(_ file: H5File) throws -> [String]? {
        let a = file.attributes
        guard (try? a.readString("format")) == Checkpoint.format else { return nil }
        var lines = ["melcnn checkpoint (format version \(number(try? a.value("version"))))"]
        lines.append("  trained: epoch \(number(try? a.value("epoch"))), step \(number(try? a.value("step"))), seed \(number(try? a.value("seed")))"
            + ((try? a.readString("dataset")).map { ", data set \($0)" } ?? ""))
        let classes = (try? file.openDataset("classes").readStrings()) ?? []
        let tagger = (try? a.readString("task")) == "tags"
        lines.append("  \(tagger ? "tags (one sigmoid each)" : "classes"): \(classes.count): \(classes.joined(separator: ", "))")
        if let text = try? a.readString("config"), let config = try? MelCNNConfig.parse(text, file: "config") {
            lines.append("  architecture: " + architecture(config.model, nMels: config.data.logMel.nMels, classes: classes.count))
            lines.append("  patch: \(config.data.patchFrames) frames")
        }
        if let names = try? file.openGroup("model").members() {
            var count = 0
            for name in names { count += (try? file.openDataset("model/\(name)").checkedCount()) ?? 0 } // bounded by the file size
            lines.append("  parameters: \(count) in \(names.count) tensors (/model, PyTorch state_dict names)")
        }
        if let names = try? file.openGroup("optimizer").members(), !names.isEmpty {
            lines.append("  optimiser state: \(names.count) tensors")
        }
        var metrics: [String] = []
        let dspNames = Set(LogMelParameters.attributeNames)
        for name in (try? a.names()) ?? [] where !dspNames.contains(name) {
            if case .double(let v)? = try? a.value(name) { metrics.append("\(name) \(String(format: "%.4g", v))") }
        }
        if !metrics.isEmpty { lines.append("  metrics: " + metrics.joined(separator: ", ")) }
        lines.append("  log-mel: " + dspLine(a))
        return lines
    }

    /// "conv 256 k4 + max-pool 4 -> ... -> global mean+max+l2 -> dense 2048 -> dense 2048 -> 10 outputs".
    /// 2-D kinds: "128 mels x time -> cnn2d blocks 64-64-128 (3x3 conv, batch norm, ReLU, 2x2 max-pool) -> global max -> ...".
    public static func architecture(_ m: ModelSpec, nMels: Int, classes: Int) -> String {
        if m.is2d {
            let widths = m.channels.map(String.init).joined(separator: "-")
            var parts = ["\(nMels) mels x time"]
            switch m.kind {
            case .cnn1d, .cnn2d: parts.append("cnn2d blocks \(widths) (3x3 conv, batch norm, ReLU, 2x2 max-pool)")
            case .resnet2d: parts.append("resnet2d blocks \(widths) (residual, two 3x3 convs, batch norm, stride 2)")
            case .crnn: parts += ["crnn blocks \(widths) (3x3 conv, batch norm, ReLU, 2x2 max-pool)", "GRU \(m.rnnHidden) (last state)"]
            }
            if m.kind != .crnn { parts.append("global " + m.globalPool.map(\.rawValue).joined(separator: "+")) }
            parts += m.dense.map { "dense \($0)" }
            parts.append("\(classes) outputs")
            return parts.joined(separator: " -> ") + (m.dropout > 0 ? ", dropout \(m.dropout)" : "")
        }
        var parts = ["\(nMels) mel channels"]
        for b in m.conv {
            var s = "conv \(b.channels) k\(b.kernel)"
            if b.stride > 1 { s += " s\(b.stride)" }
            if b.pool > 1 { s += " + \(b.poolKind.rawValue)-pool \(b.pool)" }
            parts.append(s)
        }
        parts.append("global " + m.globalPool.map(\.rawValue).joined(separator: "+"))
        parts += m.dense.map { "dense \($0)" }
        parts.append("\(classes) outputs")
        return parts.joined(separator: " -> ") + (m.batchNorm ? " (batch norm)" : "") + (m.dropout > 0 ? ", dropout \(m.dropout)" : "")
    }

    /// The log-mel parameters of the file's attributes (read and checked by `LogMelParameters.read`),
    /// e.g. `22050 Hz, n_fft 2048, hop 512, 128 mels (0-11025 Hz), power 2, top_db 80`.
    private static func dspLine(_ a: H5Attributes) -> String {
        let p: LogMelParameters
        do { p = try LogMelParameters.read(from: a, path: "") } catch { return "unreadable (\("\(error)".drop { $0 == ":" || $0 == " " }))" }
        func n(_ d: Double) -> String { number(.double(d)) }
        return "\(p.sampleRate) Hz, n_fft \(p.nFFT), hop \(p.hopLength), \(p.nMels) mels (\(n(p.fmin))-\(n(p.resolvedFmax)) Hz), "
            + "power \(n(Double(p.power))), " + (p.topDB.map { "top_db \(n(Double($0)))" } ?? "no top_db")
    }

    private static func double(_ value: H5AttributeValue?) -> Double? {
        switch value {
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        default: return nil
        }
    }

    private static func number(_ value: H5AttributeValue?) -> String {
        guard let d = double(value) else { return "?" }
        return d == d.rounded() && abs(d) < 1e15 ? String(Int64(d)) : String(format: "%.6g", d)
    }
}
