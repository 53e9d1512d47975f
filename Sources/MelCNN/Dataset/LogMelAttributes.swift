import DSP
import HDF5

/// `LogMelParameters` as HDF5 root attributes, the form `dataset.h5` and checkpoints share:
/// librosa's names; `sample_rate`, `n_fft`, `hop_length`, `win_length`, `n_mels` int64;
/// `center`, `htk` int64 0/1; `fmin`, `fmax`, `power`, `top_db` float64; `window`, `pad_mode`,
/// `norm` strings. `fmax` is written resolved (`sample_rate / 2` for nil), `win_length` only when
/// set and `top_db` only when not nil.
extension LogMelParameters {
    /// Every attribute name the parameters may be stored under.
    public static let attributeNames = ["sample_rate", "n_fft", "hop_length", "win_length", "window", "center", "pad_mode",
                                        "n_mels", "fmin", "fmax", "power", "htk", "norm", "top_db"]

    /// The attributes as (name, value) in file order: what ``write(to:)`` stores.
    var attributes: [(name: String, value: H5AttributeValue)] {
        var list: [(String, H5AttributeValue)] = [
            ("sample_rate", .int(Int64(sampleRate))), ("n_fft", .int(Int64(nFFT))), ("hop_length", .int(Int64(hopLength))),
        ]
        if let winLength { list.append(("win_length", .int(Int64(winLength)))) }
        list += [("window", .string(window.rawValue)), ("center", .int(center ? 1 : 0)), ("pad_mode", .string(padMode.rawValue)),
                 ("n_mels", .int(Int64(nMels))), ("fmin", .double(fmin)), ("fmax", .double(resolvedFmax)),
                 ("power", .double(Double(power))), ("htk", .int(htk ? 1 : 0)), ("norm", .string(norm.rawValue))]
        if let topDB { list.append(("top_db", .double(Double(topDB)))) }
        return list
    }

    /// Writes the parameters as attributes of `a`.
    func write(to a: H5Attributes) throws {
        for (name, value) in attributes {
            switch value {
            case .int(let v): try a.write(name, v)
            case .double(let v): try a.write(name, v)
            case .string(let v): try a.write(name, v)
            default: preconditionFailure("log-mel attributes are scalars")
            }
        }
    }

    /// Reads the parameters from the attributes of `a` (`path` names the file in errors).
    /// A missing attribute keeps librosa's default, except `top_db`: missing or 0 is nil
    /// (files before `LogMelParameters` stored "none" as 0). Integers may be stored as
    /// integral float64 (checkpoints of version 1). Every value is checked (positive sizes,
    /// finite frequencies, known names) before it is used.
    static func read(from a: H5Attributes, path: String) throws -> LogMelParameters {
        func bad(_ name: String, _ value: Any) -> MelCNNError {
            .invalidFile(path: path, reason: "attribute \(name) = \(value) is not a valid log-mel parameter")
        }
        func number(_ name: String) throws -> Double? {
            guard try a.contains(name) else { return nil }
            switch try a.value(name) {
            case .int(let v): return Double(v)
            case .double(let v) where v.isFinite && v >= 0 && v < 1e12: return v
            case let other: throw bad(name, other)
            }
        }
        func int(_ name: String, positive: Bool = true) throws -> Int? {
            guard let v = try number(name) else { return nil }
            guard v == v.rounded(), !positive || v > 0 else { throw bad(name, v) }
            return Int(v)
        }
        func choice<T: RawRepresentable>(_ name: String, _: T.Type) throws -> T? where T.RawValue == String {
            guard try a.contains(name) else { return nil }
            let text = try a.readString(name)
            guard let v = T(rawValue: text) else { throw bad(name, text) }
            return v
        }
        var p = LogMelParameters()
        p.sampleRate = try int("sample_rate") ?? p.sampleRate
        p.nFFT = try int("n_fft") ?? p.nFFT
        p.hopLength = try int("hop_length") ?? p.hopLength
        p.winLength = try int("win_length")
        p.window = try choice("window", WindowKind.self) ?? p.window
        p.center = try int("center", positive: false).map { $0 != 0 } ?? p.center
        p.padMode = try choice("pad_mode", PadMode.self) ?? p.padMode
        p.nMels = try int("n_mels") ?? p.nMels
        p.fmin = try number("fmin") ?? p.fmin
        p.fmax = try number("fmax")
        if let power = try number("power") {
            guard power > 0 else { throw bad("power", power) }
            p.power = Float(power)
        }
        p.htk = try int("htk", positive: false).map { $0 != 0 } ?? p.htk
        p.norm = try choice("norm", MelNorm.self) ?? p.norm
        p.topDB = try number("top_db").flatMap { $0 > 0 ? Float($0) : nil }
        return p
    }
}
