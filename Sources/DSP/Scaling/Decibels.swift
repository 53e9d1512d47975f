import CSTFT
import Foundation

/// The 0 dB reference of a decibel conversion (librosa's `ref` argument).
public enum DecibelReference: Equatable, Sendable {
    /// A fixed reference value (librosa `ref=1.0` by default; its absolute value is used).
    case value(Float)
    /// The maximum of the input (librosa `ref=np.max`).
    case max
}

/// `10 log10(max(amin, S) / max(amin, ref))`, then, if `topDB` is set, values
/// below `max - topDB` raised to it (librosa `power_to_db`; the clip is
/// against the global maximum of the whole matrix). Defaults: `ref = 1`,
/// `amin = 1e-10`, `topDB = 80`.
public func powerToDb(_ S: FeatureMatrix, ref: DecibelReference = .value(1), amin: Float = 1e-10,
                      topDB: Float? = 80) throws -> FeatureMatrix {
    var out = S
    try powerToDb(inPlace: &out.data, ref: ref, amin: amin, topDB: topDB)
    return out
}

/// ``powerToDb(_:ref:amin:topDB:)`` on raw values, in place.
public func powerToDb(inPlace values: inout [Float], ref: DecibelReference = .value(1), amin: Float = 1e-10,
                      topDB: Float? = 80) throws {
    guard amin > 0 else { throw DSPError.invalidParameter(parameter: "amin", value: "\(amin)", reason: "must be strictly positive") }
    if let topDB, !(topDB >= 0) {
        throw DSPError.invalidParameter(parameter: "top_db", value: "\(topDB)", reason: "must be non-negative")
    }
    let refValue: Float
    switch ref {
    case .value(let v): refValue = abs(v)
    case .max: refValue = values.max() ?? 0
    }
    let offset = Float(10 * log10(Double(Swift.max(amin, refValue))))
    var peak = -Float.infinity
    values.withUnsafeMutableBufferPointer { v in
        var i = 0
        if amin >= Float.leastNormalMagnitude, let base = v.baseAddress {
            // Branch-free vector log10 (inputs clamped to amin are normal) and the peak: 16 or 8
            // lanes in C with AVX-512 or AVX2 where the CPU has it, else in Swift.
            if melcnn_power_to_db(base, v.count, amin, offset, &peak) != 0 {
                for k in 0 ..< v.count { v[k] = 10 * Kernels.log10Normal(Swift.max(amin, v[k])) - offset }
                peak = Kernels.maximum(UnsafeBufferPointer(v))
            }
            i = v.count
        }
        while i < v.count {
            let db = 10 * log10f(Swift.max(amin, v[i])) - offset
            v[i] = db
            peak = Swift.max(peak, db)
            i += 1
        }
        if let topDB, let base = v.baseAddress {
            let floor = peak - topDB
            if melcnn_clamp_below(base, v.count, floor) != 0 {
                for i in 0 ..< v.count { v[i] = Swift.max(v[i], floor) }
            }
        }
    }
}

/// `20 log10(|S| / ref)` with `amin = 1e-5` (librosa `amplitude_to_db`, computed
/// as `power_to_db(S^2, ref^2, amin^2, topDB)` like librosa).
public func amplitudeToDb(_ S: FeatureMatrix, ref: DecibelReference = .value(1), amin: Float = 1e-5,
                          topDB: Float? = 80) throws -> FeatureMatrix {
    guard amin > 0 else { throw DSPError.invalidParameter(parameter: "amin", value: "\(amin)", reason: "must be strictly positive") }
    let refValue: Float
    switch ref {
    case .value(let v): refValue = abs(v)
    case .max: refValue = S.data.lazy.map { abs($0) }.max() ?? 0
    }
    var out = S
    for i in 0 ..< out.data.count { out.data[i] = out.data[i] * out.data[i] }
    try powerToDb(inPlace: &out.data, ref: .value(refValue * refValue), amin: amin * amin, topDB: topDB)
    return out
}

/// `ref * 10^(S / 10)` (librosa `db_to_power`), the inverse of ``powerToDb(_:ref:amin:topDB:)`` above the clip.
public func dbToPower(_ S: FeatureMatrix, ref: Float = 1) -> FeatureMatrix {
    FeatureMatrix(frames: S.frames, bins: S.bins, data: S.data.map { ref * Float(pow(10, Double($0) * 0.1)) })
}

/// `ref * 10^(S / 20)` (librosa `db_to_amplitude`).
public func dbToAmplitude(_ S: FeatureMatrix, ref: Float = 1) -> FeatureMatrix {
    FeatureMatrix(frames: S.frames, bins: S.bins, data: S.data.map { (ref * ref * Float(pow(10, Double($0) * 0.1))).squareRoot() })
}
