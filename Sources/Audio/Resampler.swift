import CSoxr
import Foundation

/// Band-limited sample-rate conversion with libsoxr, mirroring `librosa.resample(y, orig_sr=,
/// target_sr=, res_type="soxr_hq")`: python-soxr's `soxr.resample` call (float32 interleaved
/// I/O, `soxr_quality_spec(recipe, 0)`, input fed in blocks of `max(1000, 48000 * in/out)`
/// frames into an output buffer of `floor(n * out/in) + 1`, then flushed), followed by
/// librosa's `fix_length` to exactly `ceil(n * out/in)` samples (zero-padded or cut).
public enum Resampler {
    /// libsoxr quality recipes, named as librosa's `res_type` values.
    public enum Quality: String, Sendable, CaseIterable {
        /// `soxr_qq`: cubic interpolation, not band-limited.
        case quick = "soxr_qq"
        /// `soxr_lq`: 16-bit, large roll-off.
        case low = "soxr_lq"
        /// `soxr_mq`: 16-bit, medium roll-off.
        case medium = "soxr_mq"
        /// `soxr_hq`: 20-bit; librosa's default.
        case high = "soxr_hq"
        /// `soxr_vhq`: 28-bit.
        case veryHigh = "soxr_vhq"

        /// The `SOXR_*` recipe constant from soxr.h.
        var recipe: UInt {
            switch self {
            case .quick: return 0
            case .low: return 1
            case .medium: return 2
            case .high: return UInt(melcnn_soxr_hq())
            case .veryHigh: return UInt(melcnn_soxr_vhq())
            }
        }
    }

    /// Number of output samples librosa produces: `ceil(n * target / source)`.
    public static func outputLength(inputLength n: Int, from sourceRate: Double, to targetRate: Double) -> Int {
        Int((Double(n) * (targetRate / sourceRate)).rounded(.up))
    }

    /// Input samples per `soxr_process` call: python-soxr's `max(1000, 48000 * in / out)`.
    static func inputBlock(from inRate: Double, to outRate: Double) -> Int {
        max(1000, Int(48000 * inRate / outRate))
    }

    /// Resamples a mono signal from `sourceRate` to `targetRate` Hz (returns `x` itself when
    /// the rates are equal, as librosa does). Throws `AudioError.invalidParameter` for rates
    /// that are not positive and finite.
    public static func resample(_ x: [Float], from sourceRate: Double, to targetRate: Double,
                                quality: Quality = .high) throws(AudioError) -> [Float] {
        guard sourceRate > 0, targetRate > 0, sourceRate.isFinite, targetRate.isFinite else {
            throw .invalidParameter(path: nil, message: "resample: sample rates must be positive (got \(sourceRate) -> \(targetRate))")
        }
        if sourceRate == targetRate { return x }
        guard Double(x.count) * (targetRate / sourceRate) < 1e12 else {
            throw .invalidParameter(path: nil, message: "resample: \(x.count) samples at \(targetRate / sourceRate)x would be too long")
        }
        let target = outputLength(inputLength: x.count, from: sourceRate, to: targetRate)
        var y = try x.withUnsafeBufferPointer { input throws(AudioError) in
            try soxrResample(input, from: sourceRate, to: targetRate, quality: quality)
        }
        // librosa.util.fix_length: cut or zero-pad to `target`.
        if y.count > target {
            y.removeLast(y.count - target)
        } else if y.count < target {
            y.append(contentsOf: repeatElement(0, count: target - y.count))
        }
        return y
    }

    /// python-soxr's `csoxr_divide_proc` / `csoxr_split_ch` for one channel.
    static func soxrResample(_ input: UnsafeBufferPointer<Float>, from inRate: Double, to outRate: Double,
                             quality: Quality) throws(AudioError) -> [Float] {
        var error: soxr_error_t? = nil
        var ioSpec = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I)
        var qualitySpec = soxr_quality_spec(quality.recipe, 0)
        guard let soxr = soxr_create(inRate, outRate, 1, &error, &ioSpec, &qualitySpec, nil), error == nil else {
            throw .invalidParameter(path: nil, message: "resample: libsoxr: \(error.map { String(cString: $0) } ?? "cannot create resampler")")
        }
        defer { soxr_delete(soxr) }
        let inputLength = input.count
        let capacity = Int(Double(inputLength) * outRate / inRate + 1)
        let block = inputBlock(from: inRate, to: outRate)
        var produced = 0
        let output = [Float](unsafeUninitializedCapacity: capacity) { out, count in
            var index = 0
            var done = 0
            while index < inputLength {
                let n = min(block, inputLength - index)
                error = soxr_process(soxr, input.baseAddress! + index, n, nil,
                                     out.baseAddress! + produced, capacity - produced, &done)
                produced += done
                index += n
            }
            // End of input: flush what the filter still holds.
            error = soxr_process(soxr, nil, 0, nil, out.baseAddress! + produced, capacity - produced, &done)
            produced += done
            count = produced
        }
        if let error {
            throw .invalidParameter(path: nil, message: "resample: libsoxr: \(String(cString: error))")
        }
        return output
    }
}
