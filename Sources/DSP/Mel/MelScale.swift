import Foundation

/// Hz <-> mel conversion (librosa `hz_to_mel` / `mel_to_hz`), in double precision.
public enum MelScale: String, CaseIterable, Sendable {
    /// Slaney's Auditory Toolbox scale: linear (200/3 Hz per mel) below 1 kHz,
    /// logarithmic above (librosa's default, `htk=False`).
    case slaney
    /// The HTK formula `2595 log10(1 + f / 700)` (`htk=True`).
    case htk

    private static let fSp = 200.0 / 3
    private static let minLogHz = 1000.0
    private static let minLogMel = minLogHz / fSp
    private static let logStep = log(6.4) / 27

    /// Mel value of `hz`.
    public func mel(fromHz hz: Double) -> Double {
        switch self {
        case .htk: return 2595 * log10(1 + hz / 700)
        case .slaney:
            return hz >= Self.minLogHz ? Self.minLogMel + log(hz / Self.minLogHz) / Self.logStep : hz / Self.fSp
        }
    }

    /// Frequency in Hz of `mel`.
    public func hz(fromMel mel: Double) -> Double {
        switch self {
        case .htk: return 700 * (pow(10, mel / 2595) - 1)
        case .slaney:
            return mel >= Self.minLogMel ? Self.minLogHz * exp(Self.logStep * (mel - Self.minLogMel)) : Self.fSp * mel
        }
    }

    /// `count` frequencies (Hz) equally spaced on this mel scale from `fmin` to `fmax`
    /// inclusive (librosa `mel_frequencies`; numpy `linspace` rounding).
    public func frequencies(count: Int, fmin: Double, fmax: Double) -> [Double] {
        guard count > 0 else { return [] }
        let lo = mel(fromHz: fmin), hi = mel(fromHz: fmax)
        if count == 1 { return [hz(fromMel: lo)] }
        let step = (hi - lo) / Double(count - 1)
        return (0 ..< count).map { i in hz(fromMel: i == count - 1 ? hi : Double(i) * step + lo) }
    }
}
