import Foundation

/// The analysis windows of the STFT. Windows are **periodic** (DFT-even), as
/// `scipy.signal.get_window(name, n, fftbins=True)` returns them for librosa.
public enum WindowKind: String, CaseIterable, Sendable {
    case hann
    case hamming
    case rectangular

    /// The periodic window of `length` samples, computed in double precision.
    /// - hann: `0.5 - 0.5 cos(2 pi n / N)`; hamming: `0.54 - 0.46 cos(2 pi n / N)`;
    ///   rectangular: ones (scipy's `boxcar`).
    public func values(length: Int) -> [Float] {
        valuesDouble(length: length).map { Float($0) }
    }

    /// The same window in double precision (scipy `get_window(..., fftbins=True)`).
    public func valuesDouble(length: Int) -> [Double] {
        guard length > 0 else { return [] }
        if length == 1 || self == .rectangular { return [Double](repeating: 1, count: length) }
        let a0: Double = self == .hann ? 0.5 : 0.54
        let n = Double(length)
        return (0 ..< length).map { a0 - (1 - a0) * cos(2 * Double.pi * Double($0) / n) }
    }
}
