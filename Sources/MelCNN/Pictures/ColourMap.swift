import Foundation

/// A 256-entry colour map of matplotlib's (the maps `librosa.display.specshow` picks from).
public enum ColourMap: String, CaseIterable, Sendable {
    /// Sequential, black → purple → yellow-white: librosa's choice for data of one sign.
    case magma
    /// Sequential, dark blue → green → yellow.
    case viridis
    /// Diverging, blue → white → red: librosa's choice when the data has both signs (MFCC).
    case coolwarm

    /// librosa.display.cmap's rule: `coolwarm` when the 2nd and 98th percentiles of the finite
    /// values straddle zero, else `magma`.
    public static func automatic(for values: [Float]) -> ColourMap {
        var finite = values.filter { $0.isFinite }
        guard !finite.isEmpty else { return .magma }
        finite.sort()
        // numpy.percentile's linear interpolation.
        func percentile(_ q: Double) -> Double {
            let pos = q / 100 * Double(finite.count - 1)
            let lo = Int(pos.rounded(.down)), hi = min(lo + 1, finite.count - 1)
            return Double(finite[lo]) + (pos - Double(lo)) * Double(finite[hi] - finite[lo])
        }
        let (low, high) = (percentile(2), percentile(98))
        return low >= 0 || high <= 0 ? .magma : .coolwarm
    }

    /// The 256 RGB triples, 768 bytes.
    public var table: [UInt8] {
        switch self {
        case .magma: return Self.magmaTable
        case .viridis: return Self.viridisTable
        case .coolwarm: return Self.coolwarmTable
        }
    }

    private static let magmaTable = decode(ColourMapTables.magma, "magma")
    private static let viridisTable = decode(ColourMapTables.viridis, "viridis")
    private static let coolwarmTable = decode(ColourMapTables.coolwarm, "coolwarm")

    private static func decode(_ text: String, _ name: String) -> [UInt8] {
        let bytes = [UInt8](Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data())
        precondition(bytes.count == 768, "ColourMapTables.\(name): \(bytes.count) bytes")
        return bytes
    }

    /// The colour of `t` in [0, 1] (clamped; NaN gives the lowest colour).
    public func rgb(_ t: Double) -> (UInt8, UInt8, UInt8) {
        let i = t.isNaN ? 0 : Int((min(max(t, 0), 1) * 255).rounded())
        let table = self.table
        return (table[3 * i], table[3 * i + 1], table[3 * i + 2])
    }
}
