/// Global temporal pooling (Dieleman 2014, "Recommending music on Spotify with deep
/// learning"): statistics of each channel over the whole time axis.
///
/// For x `[N, C, L]` and each (n, c):
/// - mean: `(1/L) Σ_t x[n, c, t]`
/// - max:  `max_t x[n, c, t]` (gradient to the first maximum)
/// - L2:   `sqrt((1/L) Σ_t x[n, c, t]²)` — the root mean square over time (the L2 norm
///   divided by √L), gradient `x / (L · l2)` (0 where l2 = 0)
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A statistic of `globalTemporalPool`.
public enum GlobalPoolKind: String, CaseIterable, Sendable {
    case mean, max, l2
}

/// Mean over time: `[N, C, L]` -> `[N, C]`.
public func globalMeanPool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.mean]) }
/// Maximum over time: `[N, C, L]` -> `[N, C]`.
public func globalMaxPool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.max]) }
/// Root mean square over time, `sqrt(mean_t x²)`: `[N, C, L]` -> `[N, C]`.
public func globalL2Pool(_ x: Tensor) -> Tensor { globalTemporalPool(x, kinds: [.l2]) }

/// The statistics `kinds` concatenated along channels: `[N, C, L]` -> `[N, C · kinds.count]`,
/// kind-major (`[mean of C channels, max of C, L2 of C]` for the default, as
/// `torch.cat([x.mean(2), x.amax(2), x.pow(2).mean(2).sqrt()], dim=1)`).
/// All statistics of a row come from one pass over it, in parallel over the N·C rows.
public func globalTemporalPool(_ x: Tensor, kinds: [GlobalPoolKind] = [.mean, .max, .l2]) -> Tensor {
    precondition(!kinds.isEmpty, "globalTemporalPool: no kinds")
    precondition(x.rank == 3 && x.shape[2] > 0, "global pooling: x must be [N, C, L] with L > 0, got \(x.shape)")
    let (n, c, l) = (x.shape[0], x.shape[1], x.shape[2])
    let pool = GlobalPoolRows(n: n, c: c, l: l, kinds: kinds, record: Autograd.needsGrad(x))
    let grain = max(1, 16_384 / l)
    // global_pool_forward: y[b, j·C + ch] = kinds[j] over t of x[b, ch, t]
    let y = makeBuffer(n * pool.width) { out in
        x.data.withUnsafeBufferPointer { xp in
            let xp = xp.baseAddress!
            Threads.parallelRanges(n * c, grain: grain) { range in
                for r in range { pool.forward(row: r, xp + r * l, out) }
            }
        }
    }
    let result = Tensor(shape: [n, pool.width], data: y)
    guard pool.record else { return result }
    let xv = x.data
    result.record([x]) { dy in
        x.accumulateGrad { dx, overwrite in
            xv.withUnsafeBufferPointer { xp in
                dy.withUnsafeBufferPointer { dyp in
                    let (xp, dyp) = (xp.baseAddress!, dyp.baseAddress!)
                    Threads.parallelRanges(n * c, grain: grain) { range in
                        for r in range { pool.backward(row: r, xp + r * l, dyp, dx + r * l, overwrite: overwrite, relu: false) }
                    }
                }
            }
        }
    }
    return result
}

/// The per-row kernels of global temporal pooling over N·C rows of length L, with the
/// per-row state backward needs (the first maximum's index and the root mean square).
final class GlobalPoolRows: @unchecked Sendable {
    let c, l, width: Int
    let kinds: [GlobalPoolKind]
    let wantMean, wantMax, wantL2, record: Bool
    private let argmax: UnsafeMutablePointer<Int32>?
    private let rms: UnsafeMutablePointer<Float>?

    init(n: Int, c: Int, l: Int, kinds: [GlobalPoolKind], record: Bool) {
        (self.c, self.l, self.width, self.kinds, self.record) = (c, l, kinds.count * c, kinds, record)
        (wantMean, wantMax, wantL2) = (kinds.contains(.mean), kinds.contains(.max), kinds.contains(.l2))
        argmax = wantMax && record ? .allocate(capacity: n * c) : nil
        rms = wantL2 && record ? .allocate(capacity: n * c) : nil
    }

    deinit {
        argmax?.deallocate()
        rms?.deallocate()
    }

    /// Row r = (b, ch) of x (`src`, L values) -> out[b, j·C + ch] for each kind j.
    @inline(__always)
    func forward(row r: Int, _ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>) {
        // One pass with 4-lane accumulators (a row is short: wide vectors would cost more in
        // the final horizontal reductions than they save).
        var sum4 = SIMD4<Float>(repeating: 0), squares4 = sum4, max4 = SIMD4<Float>(repeating: src[0])
        var t = 0
        while t + 4 <= l {
            let v = UnsafeRawPointer(src + t).loadUnaligned(as: SIMD4<Float>.self)
            sum4 += v
            squares4 += v * v
            max4 = max4.replacing(with: v, where: v .> max4)
            t += 4
        }
        var sum = (sum4[0] + sum4[1]) + (sum4[2] + sum4[3]), squares = (squares4[0] + squares4[1]) + (squares4[2] + squares4[3])
        var best = max4[0]
        for lane in 1 ..< 4 where max4[lane] > best { best = max4[lane] }
        while t < l {
            sum += src[t]
            squares += src[t] * src[t]
            best = src[t] > best ? src[t] : best
            t += 1
        }
        // The first index holding the maximum (as a left-to-right scan would pick).
        var index = 0
        if wantMax && argmax != nil { while index < l - 1 && !(src[index] == best) { index += 1 } }
        let mean = sum / Float(l), l2 = (squares / Float(l)).squareRoot()
        argmax?[r] = Int32(index)
        rms?[r] = l2
        let (b, ch) = r.quotientAndRemainder(dividingBy: c)
        for (j, kind) in kinds.enumerated() {
            out[b * width + j * c + ch] = kind == .mean ? mean : kind == .max ? best : l2
        }
    }

    /// global_pool_backward for row r (dmean, dmax, dl2 summed over the kinds' columns of dy):
    ///   dx[t] = dmean / L + dl2 · x[t] / (L · l2) (0 where l2 = 0) + (t == argmax ? dmax : 0)
    /// written (`overwrite`) or added to `dst`; with `relu`, x is a ReLU output and the
    /// gradient is passed through its mask (zero where x <= 0), i.e. the gradient w.r.t. the
    /// ReLU's input (`overwrite` only).
    @inline(__always)
    func backward(row r: Int, _ src: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                  overwrite: Bool, relu: Bool) {
        let (b, ch) = r.quotientAndRemainder(dividingBy: c)
        var dMean: Float = 0, dMax: Float = 0, dL2: Float = 0
        for (j, kind) in kinds.enumerated() {
            let v = dy[b * width + j * c + ch]
            switch kind {
            case .mean: dMean += v
            case .max: dMax += v
            case .l2: dL2 += v
            }
        }
        let constant = dMean / Float(l)
        let scale = wantL2 && rms![r] > 0 ? dL2 / (Float(l) * rms![r]) : 0
        simdLoop(0 ..< l) { t in
            let v = scale * load16(src + t) + constant
            store16(overwrite ? v : load16(dst + t) + v, dst + t)
        } scalar: { t in
            let v = scale * src[t] + constant
            dst[t] = overwrite ? v : dst[t] + v
        }
        if wantMax { dst[Int(argmax![r])] += dMax }
        if relu {
            simdLoop(0 ..< l) { t in
                store16(load16(dst + t).replacing(with: 0, where: load16(src + t) .<= 0), dst + t)
            } scalar: { t in dst[t] = src[t] > 0 ? dst[t] : 0 }
        }
    }
}
