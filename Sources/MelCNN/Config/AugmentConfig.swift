/// The `augment` section: training-time augmentation of the sampled patches. Every
/// value defaults to "off", so a config without the section trains on plain random crops
/// (the faithful Dieleman recipe). Evaluation never augments. See docs/training.md.
public struct AugmentConfig: Equatable, Sendable {
    /// SpecAugment time masks per patch (Park et al. 2019), each `0 ... timeMaskWidth` frames wide.
    public var timeMasks: Int = 0
    /// Largest time-mask width in frames.
    public var timeMaskWidth: Int = 0
    /// SpecAugment frequency masks per patch, each `0 ... freqMaskWidth` mel bins wide.
    public var freqMasks: Int = 0
    /// Largest frequency-mask width in mel bins.
    public var freqMaskWidth: Int = 0
    /// mixup's Beta(α, α) parameter (Zhang et al. 2018); 0 = off.
    public var mixupAlpha: Double = 0
    /// Random gain: a uniform offset in `[-gainDB, gainDB]` dB per patch; 0 = off.
    public var gainDB: Double = 0

    public init() {}

    /// True when any augmentation is on.
    public var isActive: Bool {
        (timeMasks > 0 && timeMaskWidth > 0) || (freqMasks > 0 && freqMaskWidth > 0) || mixupAlpha > 0 || gainDB > 0
    }

    mutating func read(_ s: inout YAMLSection) throws {
        timeMasks = try s.int("time_masks") ?? timeMasks
        timeMaskWidth = try s.int("time_mask_width") ?? timeMaskWidth
        freqMasks = try s.int("freq_masks") ?? freqMasks
        freqMaskWidth = try s.int("freq_mask_width") ?? freqMaskWidth
        mixupAlpha = try s.double("mixup_alpha") ?? mixupAlpha
        gainDB = try s.double("gain_db") ?? gainDB
    }

    /// Checks ranges; mask widths may not exceed the patch (`patchFrames` x `nMels`).
    func validate(file: String, patchFrames: Int, nMels: Int) throws {
        func bad(_ key: String, _ message: String) -> ConfigError { ConfigError(file: file, key: "augment.\(key)", message: message) }
        guard timeMasks >= 0 else { throw bad("time_masks", "must be >= 0, got \(timeMasks)") }
        guard freqMasks >= 0 else { throw bad("freq_masks", "must be >= 0, got \(freqMasks)") }
        guard timeMaskWidth >= 0, timeMaskWidth <= patchFrames else {
            throw bad("time_mask_width", "must be in [0, data.patch_frames = \(patchFrames)], got \(timeMaskWidth)")
        }
        guard freqMaskWidth >= 0, freqMaskWidth <= nMels else {
            throw bad("freq_mask_width", "must be in [0, data.n_mels = \(nMels)], got \(freqMaskWidth)")
        }
        if timeMasks > 0, timeMaskWidth == 0 { throw bad("time_mask_width", "must be positive when time_masks > 0") }
        if freqMasks > 0, freqMaskWidth == 0 { throw bad("freq_mask_width", "must be positive when freq_masks > 0") }
        guard mixupAlpha >= 0, mixupAlpha.isFinite else { throw bad("mixup_alpha", "must be >= 0 (0 = off), got \(mixupAlpha)") }
        guard gainDB >= 0, gainDB <= 120 else { throw bad("gain_db", "must be in [0, 120] dB, got \(gainDB)") }
    }

    func yaml() -> [String] {
        ["augment:",
         "  time_masks: \(timeMasks)",
         "  time_mask_width: \(timeMaskWidth)",
         "  freq_masks: \(freqMasks)",
         "  freq_mask_width: \(freqMaskWidth)",
         "  mixup_alpha: \(yamlNumber(mixupAlpha))",
         "  gain_db: \(yamlNumber(gainDB))"]
    }
}
