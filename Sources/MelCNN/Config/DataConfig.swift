import Audio
import DSP

/// The `data` section: DSP parameters of the log-mel data set and the patch length.
///
/// The DSP fields mirror the dataset.h5 root attributes (librosa's names and defaults);
/// the trainer checks them against the data set and stores them in checkpoints.
public struct DataConfig: Equatable, Sendable {
    public var sampleRate: Int = 22050
    public var nFFT: Int = 2048
    public var hopLength: Int = 512
    public var nMels: Int = 128
    public var fmin: Double = 0
    /// Upper mel edge in Hz; nil means `sampleRate / 2` (librosa's `fmax=None`).
    public var fmax: Double? = nil
    public var power: Double = 2
    /// Dynamic range of the dB conversion; nil means no clipping (librosa's `top_db=None`).
    public var topDB: Double? = 80
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

    /// The DSP parameters as (name, value) pairs, in dataset.h5 attribute order and names.
    public var dspParameters: [(name: String, value: Double)] {
        [("sample_rate", Double(sampleRate)), ("n_fft", Double(nFFT)), ("hop_length", Double(hopLength)),
         ("n_mels", Double(nMels)), ("fmin", fmin), ("fmax", fmax ?? Double(sampleRate) / 2),
         ("power", power), ("top_db", topDB ?? 0)]
    }

    mutating func read(_ s: inout YAMLSection) throws {
        sampleRate = try s.int("sample_rate") ?? sampleRate
        nFFT = try s.int("n_fft") ?? nFFT
        hopLength = try s.int("hop_length") ?? hopLength
        nMels = try s.int("n_mels") ?? nMels
        fmin = try s.double("fmin") ?? fmin
        fmax = try s.double("fmax") ?? fmax
        power = try s.double("power") ?? power
        topDB = try s.double("top_db") ?? topDB
        patchFrames = try s.int("patch_frames") ?? patchFrames
        prefetch = try s.int("prefetch") ?? prefetch
        sampling = try s.choice("sampling", PatchSampling.self) ?? sampling
        storage = try s.choice("storage", TrackStorage.self) ?? storage
        memoryBudgetMB = try s.int("memory_budget_mb") ?? memoryBudgetMB
    }

    func validate(file: String) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "data.\(key)", message: message) }
        guard sampleRate > 0 else { throw bad("sample_rate", "must be positive, got \(sampleRate)") }
        guard nFFT > 0 else { throw bad("n_fft", "must be positive, got \(nFFT)") }
        guard hopLength > 0 else { throw bad("hop_length", "must be positive, got \(hopLength)") }
        guard nMels > 0 else { throw bad("n_mels", "must be positive, got \(nMels)") }
        guard fmin >= 0 else { throw bad("fmin", "must be >= 0, got \(fmin)") }
        if let fmax, !(fmax > fmin && fmax <= Double(sampleRate) / 2) {
            throw bad("fmax", "must be in (fmin, sample_rate/2] = (\(fmin), \(Double(sampleRate) / 2)], got \(fmax)")
        }
        guard power > 0, Float(power).isFinite else { throw bad("power", "must be a positive finite number, got \(power)") }
        guard AudioFile.sampleRateRange.contains(sampleRate) else {
            throw bad("sample_rate", "must be \(AudioFile.sampleRateRange.lowerBound) ... \(AudioFile.sampleRateRange.upperBound) Hz, got \(sampleRate)")
        }
        do {  // the DSP module's own limits (FFT size, band count, fmin/fmax), named by key
            try STFTParameters(nFFT: nFFT, hopLength: hopLength).validate()
            try MelParameters(sampleRate: Double(sampleRate), nMels: nMels, fmin: fmin, fmax: fmax).validate()
        } catch let error as DSPError {
            let key = error.parameter.map { $0 == "sr" ? "sample_rate" : $0 } ?? "n_fft"
            throw bad(key, "\(error)")
        }
        if let topDB, !(topDB >= 0 && topDB.isFinite) { throw bad("top_db", "must be a finite number >= 0, got \(topDB)") }
        guard patchFrames > 0 else { throw bad("patch_frames", "must be positive, got \(patchFrames)") }
        guard prefetch >= 0 else { throw bad("prefetch", "must be >= 0, got \(prefetch)") }
        guard memoryBudgetMB >= 0, memoryBudgetMB <= 1 << 30 else {
            throw bad("memory_budget_mb", "must be in 0...\(1 << 30), got \(memoryBudgetMB)")
        }
    }

    func yaml() -> [String] {
        ["data:",
         "  sample_rate: \(sampleRate)",
         "  n_fft: \(nFFT)",
         "  hop_length: \(hopLength)",
         "  n_mels: \(nMels)",
         "  fmin: \(yamlNumber(fmin))",
         "  fmax: \(fmax.map(yamlNumber) ?? "null")",
         "  power: \(yamlNumber(power))",
         "  top_db: \(topDB.map(yamlNumber) ?? "null")",
         "  patch_frames: \(patchFrames)",
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

extension DataConfig {
    /// Throws `MelCNNError.dspMismatch` naming the first DSP parameter whose value in
    /// `values` (e.g. a dataset.h5's root attributes, by attribute name) differs from this
    /// config's. `source` names the data set, `other` this config (a YAML path or checkpoint).
    public func checkDSPParameters(_ values: [String: Double], source: String, other: String) throws {
        for (name, mine) in dspParameters {
            guard let theirs = values[name] else { continue }
            if abs(theirs - mine) > 1e-6 * max(1, abs(mine)) {
                throw MelCNNError.dspMismatch(parameter: name, dataset: source, datasetValue: formatParameter(theirs),
                                              other: other, otherValue: formatParameter(mine))
            }
        }
    }

    /// Sets the DSP fields from `values` (attribute names as in `dspParameters`). Integer
    /// fields ignore values that are not finite or do not fit an `Int` (damaged files).
    public mutating func setDSPParameters(_ values: [String: Double]) {
        func int(_ name: String) -> Int? { values[name].flatMap { $0.isFinite && abs($0) < 1e15 ? Int($0) : nil } }
        if let v = int("sample_rate") { sampleRate = v }
        if let v = int("n_fft") { nFFT = v }
        if let v = int("hop_length") { hopLength = v }
        if let v = int("n_mels") { nMels = v }
        if let v = values["fmin"] { fmin = v }
        if let v = values["fmax"] { fmax = v }
        if let v = values["power"] { power = v }
        if let v = values["top_db"] { topDB = v > 0 ? v : nil }
    }
}

private func formatParameter(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e12 ? String(Int(x)) : "\(x)"
}
