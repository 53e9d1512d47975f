import Audio
import DSP

/// The `data` section: the log-mel parameters of the data set and the patch length.
///
/// The log-mel keys (`sample_rate`, `n_fft`, `hop_length`, `n_mels`, `fmin`, `fmax`, `power`,
/// `top_db`, and `win_length`, `window`, `center`, `pad_mode`, `htk`, `norm` when not librosa's
/// defaults) are those of ``LogMelParameters`` and of the dataset.h5 root attributes; the
/// trainer checks them against the data set and stores them in checkpoints.
public struct DataConfig: Equatable, Sendable {
    /// The log-mel front end (`top_db: null` in YAML: no clipping).
    public var logMel = LogMelParameters()
    /// Frames per training patch (599 frames ≈ 14 s at 22050 Hz, hop 512).
    public var patchFrames: Int = 599
    /// Batches the sampler prepares ahead of the trainer.
    public var prefetch: Int = 4
    /// How training patches are drawn: a uniform track then a uniform start (`tracks`), or
    /// a track with probability proportional to its patch start positions (`frames`).
    public var sampling: PatchSampling = .tracks
    /// Log-mels in memory, streamed from dataset.h5, or chosen by size (`auto`).
    public var storage: TrackStorage = .auto
    /// Memory budget in MiB: `auto` storage streams when the selected tracks' log-mels
    /// are larger; streaming caches at most this much decompressed `/mels`.
    public var memoryBudgetMB: Int = DataConfig.defaultMemoryBudget >> 20
    /// The default memory budget, 512 MiB (GTZAN's 1000 clips take ~660 MiB as float32).
    public static let defaultMemoryBudget = 512 << 20
    /// `memoryBudgetMB` in bytes.
    public var memoryBudget: Int { memoryBudgetMB << 20 }

    public init() {}

    mutating func read(_ s: inout YAMLSection) throws {
        var p = logMel
        p.sampleRate = try s.int("sample_rate") ?? p.sampleRate
        p.nFFT = try s.int("n_fft") ?? p.nFFT
        p.hopLength = try s.int("hop_length") ?? p.hopLength
        p.winLength = try s.int("win_length") ?? p.winLength
        p.window = try s.choice("window", WindowKind.self) ?? p.window
        p.center = try s.bool("center") ?? p.center
        p.padMode = try s.choice("pad_mode", PadMode.self) ?? p.padMode
        p.nMels = try s.int("n_mels") ?? p.nMels
        p.fmin = try s.double("fmin") ?? p.fmin
        p.fmax = try s.double("fmax") ?? p.fmax
        p.power = try s.double("power").map { Float($0) } ?? p.power
        p.htk = try s.bool("htk") ?? p.htk
        p.norm = try s.choice("norm", MelNorm.self) ?? p.norm
        p.topDB = s.isNull("top_db") ? nil : try s.double("top_db").map { Float($0) } ?? p.topDB
        logMel = p
        patchFrames = try s.int("patch_frames") ?? patchFrames
        prefetch = try s.int("prefetch") ?? prefetch
        sampling = try s.choice("sampling", PatchSampling.self) ?? sampling
        storage = try s.choice("storage", TrackStorage.self) ?? storage
        memoryBudgetMB = try s.int("memory_budget_mb") ?? memoryBudgetMB
    }

    func validate(file: String) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "data.\(key)", message: message) }
        let p = logMel
        guard p.sampleRate > 0 else { throw bad("sample_rate", "must be positive, got \(p.sampleRate)") }
        guard p.nFFT > 0 else { throw bad("n_fft", "must be positive, got \(p.nFFT)") }
        guard p.hopLength > 0 else { throw bad("hop_length", "must be positive, got \(p.hopLength)") }
        guard p.nMels > 0 else { throw bad("n_mels", "must be positive, got \(p.nMels)") }
        guard p.fmin >= 0 else { throw bad("fmin", "must be >= 0, got \(p.fmin)") }
        if let fmax = p.fmax, !(fmax > p.fmin && fmax <= Double(p.sampleRate) / 2) {
            throw bad("fmax", "must be in (fmin, sample_rate/2] = (\(p.fmin), \(Double(p.sampleRate) / 2)], got \(fmax)")
        }
        guard p.power > 0, p.power.isFinite else { throw bad("power", "must be a positive finite number, got \(p.power)") }
        guard AudioFile.sampleRateRange.contains(p.sampleRate) else {
            throw bad("sample_rate", "must be \(AudioFile.sampleRateRange.lowerBound) ... \(AudioFile.sampleRateRange.upperBound) Hz, got \(p.sampleRate)")
        }
        if let topDB = p.topDB, !(topDB > 0 && topDB.isFinite) {
            throw bad("top_db", "must be a finite number > 0 (null: no clipping), got \(topDB)")
        }
        do {  // the DSP module's own limits (FFT size, window, band count, fmin/fmax), named by key
            try p.validate()
        } catch let error as DSPError {
            let key = error.parameter.map { $0 == "sr" ? "sample_rate" : $0 } ?? "n_fft"
            throw bad(key, "\(error)")
        }
        guard patchFrames > 0 else { throw bad("patch_frames", "must be positive, got \(patchFrames)") }
        guard prefetch >= 0 else { throw bad("prefetch", "must be >= 0, got \(prefetch)") }
        guard memoryBudgetMB >= 0, memoryBudgetMB <= 1 << 30 else {
            throw bad("memory_budget_mb", "must be in 0...\(1 << 30), got \(memoryBudgetMB)")
        }
    }

    func yaml() -> [String] {
        let p = logMel, librosa = LogMelParameters()
        var lines = ["data:",
                     "  sample_rate: \(p.sampleRate)",
                     "  n_fft: \(p.nFFT)",
                     "  hop_length: \(p.hopLength)",
                     "  n_mels: \(p.nMels)",
                     "  fmin: \(yamlNumber(p.fmin))",
                     "  fmax: \(p.fmax.map(yamlNumber) ?? "null")",
                     "  power: \(yamlNumber(p.power))",
                     "  top_db: \(p.topDB.map(yamlNumber) ?? "null")"]
        // The rarer STFT and filterbank keys only when they are not librosa's defaults.
        if let win = p.winLength { lines.append("  win_length: \(win)") }
        if p.window != librosa.window { lines.append("  window: \(p.window.rawValue)") }
        if p.center != librosa.center { lines.append("  center: \(p.center)") }
        if p.padMode != librosa.padMode { lines.append("  pad_mode: \(p.padMode.rawValue)") }
        if p.htk != librosa.htk { lines.append("  htk: \(p.htk)") }
        if p.norm != librosa.norm { lines.append("  norm: \(p.norm.rawValue)") }
        return lines + ["  patch_frames: \(patchFrames)",
                        "  prefetch: \(prefetch)",
                        "  sampling: \(sampling.rawValue)",
                        "  storage: \(storage.rawValue)",
                        "  memory_budget_mb: \(memoryBudgetMB)"]
    }
}

/// A Double as YAML text that reads back to the same value (`0.001`, `2.0`, `1e-05`).
func yamlNumber(_ x: Double) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(format: "%.1f", x) }
    return "\(x)"
}

/// A Float as YAML text that reads back to the same Float (`2.0`, `80.5`, `0.3`).
func yamlNumber(_ x: Float) -> String {
    if x == x.rounded(), abs(x) < 1e15 { return String(format: "%.1f", Double(x)) }
    return "\(x)"
}

extension DataConfig {
    /// Throws `MelCNNError.dspMismatch` naming the first log-mel parameter of `other` (e.g.
    /// a dataset.h5's or checkpoint's) that differs from this config's. `source` names the
    /// data set, `configSource` this config (a YAML path or checkpoint).
    public func checkLogMel(_ other: LogMelParameters, source: String, configSource: String) throws {
        if let (name, theirs, mine) = logMel.firstDifference(from: other) {
            throw MelCNNError.dspMismatch(parameter: name, dataset: source, datasetValue: theirs,
                                          other: configSource, otherValue: mine)
        }
    }
}

extension LogMelParameters {
    /// The first parameter (librosa name, `other`'s value, this value) where the two would give
    /// different log-mels: `fmax` and `win_length` compared resolved, numbers within 1e-6 relative.
    func firstDifference(from other: LogMelParameters) -> (String, String, String)? {
        func number(_ x: Double?) -> String {
            guard let x else { return "null" }
            return x == x.rounded() && abs(x) < 1e12 ? String(Int(x)) : "\(x)"
        }
        func differ(_ a: Double?, _ b: Double?) -> Bool {
            guard let a, let b else { return (a == nil) != (b == nil) }
            return abs(a - b) > 1e-6 * max(1, abs(a))
        }
        let numbers: [(String, Double?, Double?)] = [
            ("sample_rate", Double(sampleRate), Double(other.sampleRate)), ("n_fft", Double(nFFT), Double(other.nFFT)),
            ("hop_length", Double(hopLength), Double(other.hopLength)),
            ("win_length", Double(winLength ?? nFFT), Double(other.winLength ?? other.nFFT)),
            ("n_mels", Double(nMels), Double(other.nMels)), ("fmin", fmin, other.fmin), ("fmax", resolvedFmax, other.resolvedFmax),
            ("power", Double(power), Double(other.power)), ("top_db", topDB.map(Double.init), other.topDB.map(Double.init)),
        ]
        for (name, mine, theirs) in numbers where differ(mine, theirs) { return (name, number(theirs), number(mine)) }
        let names: [(String, String, String)] = [
            ("window", window.rawValue, other.window.rawValue), ("center", "\(center)", "\(other.center)"),
            ("pad_mode", padMode.rawValue, other.padMode.rawValue), ("htk", "\(htk)", "\(other.htk)"),
            ("norm", norm.rawValue, other.norm.rawValue),
        ]
        for (name, mine, theirs) in names where mine != theirs { return (name, theirs, mine) }
        return nil
    }
}
