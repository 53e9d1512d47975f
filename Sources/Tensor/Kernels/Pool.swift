/// Max and average pooling, 1-D and 2-D (PyTorch's `max_pool1d/2d`, `avg_pool1d/2d` with
/// `ceil_mode=False`, `count_include_pad=True`, dilation 1). 1-D is 2-D with H = 1.
///
/// `Lout = (L + 2·padding - kernel) / stride + 1`. Max pooling pads with -∞ and sends the
/// gradient to the first maximum of each window; average pooling pads with zeros and
/// always divides by the window size.

/// Max pooling over time. x: `[N, C, L]` -> `[N, C, Lout]`; stride defaults to `kernel`.
public func maxPool1d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    pool1d(x, kernel, stride, padding, max: true, name: "maxPool1d")
}

/// `maxPool1d(relu(x))` in one pass, without materialising `relu(x)`: since ReLU is
/// monotonic this is `relu(maxPool1d(x))`, the same values and (first-maximum) gradients
/// as the composition. x: `[N, C, L]` -> `[N, C, Lout]`; stride defaults to `kernel`.
public func reluMaxPool1d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    pool1d(x, kernel, stride, padding, max: true, relu: true, name: "reluMaxPool1d")
}

/// Average pooling over time. x: `[N, C, L]` -> `[N, C, Lout]`; stride defaults to `kernel`.
public func avgPool1d(_ x: Tensor, kernel: Int, stride: Int? = nil, padding: Int = 0) -> Tensor {
    pool1d(x, kernel, stride, padding, max: false, name: "avgPool1d")
}

/// 2-D max pooling. x: `[N, C, H, W]` -> `[N, C, Hout, Wout]`; stride defaults to `kernel`.
public func maxPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
    pool2d(x, kernel, stride ?? kernel, padding, max: true, name: "maxPool2d")
}

/// 2-D average pooling. x: `[N, C, H, W]` -> `[N, C, Hout, Wout]`; stride defaults to `kernel`.
public func avgPool2d(_ x: Tensor, kernel: (Int, Int), stride: (Int, Int)? = nil, padding: (Int, Int) = (0, 0)) -> Tensor {
    pool2d(x, kernel, stride ?? kernel, padding, max: false, name: "avgPool2d")
}

private func pool1d(_ x: Tensor, _ kernel: Int, _ stride: Int?, _ padding: Int, max: Bool, relu: Bool = false,
                    name: String) -> Tensor {
    precondition(x.rank == 3, "\(name): x must be [N, C, L], got \(x.shape)")
    let g = PoolGeometry(planes: x.shape[0] * x.shape[1], h: 1, w: x.shape[2], kh: 1, kw: kernel,
                         sh: 1, sw: stride ?? kernel, ph: 0, pw: padding)
    return pool(x, g, max: max, relu: relu, outShape: [x.shape[0], x.shape[1], g.wout], name: name)
}

private func pool2d(_ x: Tensor, _ k: (Int, Int), _ s: (Int, Int), _ p: (Int, Int), max: Bool, name: String) -> Tensor {
    precondition(x.rank == 4, "\(name): x must be [N, C, H, W], got \(x.shape)")
    let g = PoolGeometry(planes: x.shape[0] * x.shape[1], h: x.shape[2], w: x.shape[3], kh: k.0, kw: k.1,
                         sh: s.0, sw: s.1, ph: p.0, pw: p.1)
    return pool(x, g, max: max, outShape: [x.shape[0], x.shape[1], g.hout, g.wout], name: name)
}

/// Sizes of one pooling (planes = N·C; 1-D uses h = kh = 1).
struct PoolGeometry {
    let planes, h, w, kh, kw, sh, sw, ph, pw: Int
    var hout: Int { (h + 2 * ph - kh) / sh + 1 }
    var wout: Int { (w + 2 * pw - kw) / sw + 1 }
}

/// relu (with max only): the output is `relu(max)` and the gradient flows where it is > 0.
private func pool(_ x: Tensor, _ g: PoolGeometry, max isMax: Bool, relu: Bool = false, outShape: [Int],
                  name: String) -> Tensor {
    precondition(g.kh > 0 && g.kw > 0 && g.sh > 0 && g.sw > 0, "\(name): kernel and stride must be positive")
    precondition(g.ph >= 0 && g.pw >= 0 && 2 * g.ph <= g.kh && 2 * g.pw <= g.kw, "\(name): padding must be at most half the kernel")
    precondition(g.hout > 0 && g.wout > 0, "\(name): kernel larger than the padded input \(x.shape)")
    let (inPlane, outPlane) = (g.h * g.w, g.hout * g.wout)
    let record = Autograd.needsGrad(x)
    // For max pooling: the flat in-plane index of each output's maximum (for backward).
    var argmax = [Int32](unsafeUninitializedCapacity: isMax && record ? g.planes * outPlane : 0) { $1 = $0.count }
    // pool_forward: out[p, oh, ow] = max / mean over the window of x[p]
    let y = makeBuffer(g.planes * outPlane) { out in
        x.data.withUnsafeBufferPointer { xp in
            argmax.withUnsafeMutableBufferPointer { ap in
                let (xp, ap) = (xp.baseAddress!, ap.isEmpty ? nil : ap.baseAddress)
                Threads.parallelRanges(g.planes, grain: Swift.max(1, 16_384 / Swift.max(inPlane, 1))) { planes in
                    for p in planes {
                        let src = xp + p * inPlane
                        if isMax {
                            maxPoolPlane(src, out + p * outPlane, ap.map { $0 + p * outPlane }, g, relu: relu)
                            continue
                        }
                        for oh in 0 ..< g.hout {
                            let h0 = oh * g.sh - g.ph, hLo = Swift.max(h0, 0), hHi = Swift.min(h0 + g.kh, g.h)
                            for ow in 0 ..< g.wout {
                                let w0 = ow * g.sw - g.pw, wLo = Swift.max(w0, 0), wHi = Swift.min(w0 + g.kw, g.w)
                                var sum: Float = 0
                                for ih in hLo ..< hHi { for iw in wLo ..< wHi { sum += src[ih * g.w + iw] } }
                                out[p * outPlane + oh * g.wout + ow] = sum / Float(g.kh * g.kw)
                            }
                        }
                    }
                }
            }
        }
    }
    let result = Tensor(shape: outShape, data: y)
    guard record else { return result }
    result.record([x]) { dy in
        // pool_backward: max -> dx[argmax] += dy; avg -> dx[window] += dy / (KH·KW)
        x.accumulateGrad { dx, overwrite in
            dy.withUnsafeBufferPointer { dyp in
                argmax.withUnsafeBufferPointer { ap in
                  y.withUnsafeBufferPointer { yp in
                    let (dyp, ap, yp) = (dyp.baseAddress!, ap.baseAddress, yp.baseAddress!)
                    Threads.parallelRanges(g.planes, grain: Swift.max(1, 16_384 / Swift.max(inPlane, 1))) { planes in
                        for p in planes {
                            let dst = dx + p * inPlane
                            if isMax {
                                maxPoolPlaneBackward(dyp + p * outPlane, yp + p * outPlane, ap! + p * outPlane, dst, g,
                                                     relu: relu, overwrite: overwrite)
                                continue
                            }
                            if overwrite { dst.initialize(repeating: 0, count: inPlane) }
                            let scale = 1 / Float(g.kh * g.kw)
                            for oh in 0 ..< g.hout {
                                let h0 = oh * g.sh - g.ph, hLo = Swift.max(h0, 0), hHi = Swift.min(h0 + g.kh, g.h)
                                for ow in 0 ..< g.wout {
                                    let w0 = ow * g.sw - g.pw, wLo = Swift.max(w0, 0), wHi = Swift.min(w0 + g.kw, g.w)
                                    let v = dyp[p * outPlane + oh * g.wout + ow] * scale
                                    for ih in hLo ..< hHi { for iw in wLo ..< wHi { dst[ih * g.w + iw] += v } }
                                }
                            }
                        }
                    }
                  }
                }
            }
        }
    }
    return result
}

/// One row of 1-D max pooling with stride == kernel ∈ {2, 4}, 4 outputs per step:
/// out[ow] = max(src[ow·k ..< ow·k + k]) (then ReLU when `relu`), argmax[ow] = the index
/// of its first maximum. A pairwise tournament that keeps the left operand unless the right
/// one is strictly greater selects the same (first) maximum as a left-to-right scan.
/// (4-lane vectors: melcnn's Swift code is compiled for baseline x86-64, SSE registers.)
@inline(__always)
private func maxPoolRow(_ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>,
                        _ argmax: UnsafeMutablePointer<Int32>?, wout: Int, kernel: Int, relu: Bool) {
    @inline(__always) func load4(_ p: UnsafePointer<Float>) -> SIMD4<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD4<Float>.self)
    }
    @inline(__always) func store(_ m: SIMD4<Float>, _ index: SIMD4<Int32>, at ow: Int) {
        UnsafeMutableRawPointer(out + ow).storeBytes(of: relu ? m.replacing(with: 0, where: m .< 0) : m, as: SIMD4<Float>.self)
        if let argmax { UnsafeMutableRawPointer(argmax + ow).storeBytes(of: index, as: SIMD4<Int32>.self) }
    }
    /// Pairwise maxima of 8 consecutive values: (max, 1 where the odd one won).
    @inline(__always) func pairs(_ p: UnsafePointer<Float>) -> (SIMD4<Float>, SIMD4<Int32>) {
        let v = SIMD8(lowHalf: load4(p), highHalf: load4(p + 4))
        let (even, odd) = (v.evenHalf, v.oddHalf)
        let oddWins = odd .> even
        return (even.replacing(with: odd, where: oddWins), SIMD4<Int32>(repeating: 0).replacing(with: 1, where: oddWins))
    }
    let lane = SIMD4<Int32>(0, 1, 2, 3)
    var ow = 0
    if kernel == 2 {
        while ow + 4 <= wout {
            let (m, k) = pairs(src + 2 * ow)
            store(m, (lane &+ Int32(ow)) &* 2 &+ k, at: ow)
            ow += 4
        }
    } else {
        while ow + 4 <= wout {
            let (m1, k1) = pairs(src + 4 * ow)        // pairs 0 ..< 4 of these 16 values
            let (m2, k2) = pairs(src + 4 * ow + 8)    // pairs 4 ..< 8
            let m = SIMD8(lowHalf: m1, highHalf: m2), k = SIMD8(lowHalf: k1, highHalf: k2)
            let (left, right) = (m.evenHalf, m.oddHalf)
            let rightWins = right .> left
            // Within the window: 0/1 from the left pair, 2/3 from the right pair.
            let within = k.evenHalf.replacing(with: k.oddHalf &+ 2, where: rightWins)
            store(left.replacing(with: right, where: rightWins), (lane &+ Int32(ow)) &* 4 &+ within, at: ow)
            ow += 4
        }
    }
    for o in ow ..< wout {
        let window = src + o * kernel
        var best = window[0], bestK = 0
        for k in 1 ..< kernel where window[k] > best { best = window[k]; bestK = k }
        out[o] = relu && best < 0 ? 0 : best
        argmax?[o] = Int32(o * kernel + bestK)
    }
}

/// Max pooling of one plane (`g.h × g.w` -> `g.hout × g.wout`): out = the window maxima
/// (then ReLU when `relu`), argmax = the flat in-plane index of each window's first maximum.
@inline(__always)
func maxPoolPlane(_ src: UnsafePointer<Float>, _ out: UnsafeMutablePointer<Float>, _ argmax: UnsafeMutablePointer<Int32>?,
                  _ g: PoolGeometry, relu: Bool) {
    if g.h == 1 && g.pw == 0 {
        // Fast paths (1-D, no padding).
        if g.sw == g.kw && (g.kw == 2 || g.kw == 4) {
            maxPoolRow(src, out, argmax, wout: g.wout, kernel: g.kw, relu: relu)
            return
        }
        // Branch-free running maximum.
        for ow in 0 ..< g.wout {
            let window = src + ow * g.sw
            var best = window[0], bestK = 0
            for k in 1 ..< g.kw {
                let better = window[k] > best
                best = better ? window[k] : best
                bestK = better ? k : bestK
            }
            out[ow] = relu && best < 0 ? 0 : best
            argmax?[ow] = Int32(ow * g.sw + bestK)
        }
        return
    }
    for oh in 0 ..< g.hout {
        let h0 = oh * g.sh - g.ph, hLo = max(h0, 0), hHi = min(h0 + g.kh, g.h)
        for ow in 0 ..< g.wout {
            let w0 = ow * g.sw - g.pw, wLo = max(w0, 0), wHi = min(w0 + g.kw, g.w)
            var best = -Float.infinity, bestIndex = hLo * g.w + wLo
            for ih in hLo ..< hHi {
                for iw in wLo ..< wHi where src[ih * g.w + iw] > best || src[ih * g.w + iw].isNaN {
                    best = src[ih * g.w + iw]; bestIndex = ih * g.w + iw
                    if best.isNaN { break }
                }
            }
            out[oh * g.wout + ow] = relu && best < 0 ? 0 : best
            argmax?[oh * g.wout + ow] = Int32(bestIndex)
        }
    }
}

/// The gradient of `maxPoolPlane` for one plane: dst[argmax[o]] += dy[o] (only where y[o] > 0
/// when `relu`), into the plane's accumulated input gradient `dst`, or with `overwrite` into
/// uninitialised memory (as if it started at zero).
@inline(__always)
func maxPoolPlaneBackward(_ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ argmax: UnsafePointer<Int32>,
                          _ dst: UnsafeMutablePointer<Float>, _ g: PoolGeometry, relu: Bool, overwrite: Bool) {
    let outPlane = g.hout * g.wout
    if overwrite && g.h == 1 && g.pw == 0 && g.sw >= g.kw {
        // Non-overlapping 1-D windows: each argmax is written at most once, so after the
        // zero fill plain stores do (no read-modify-write through the data-dependent index).
        dst.update(repeating: 0, count: g.w)
        if relu {
            // The ReLU mask as a bit mask (selects on the sign of y compile to mispredicted branches).
            for o in 0 ..< outPlane {
                let keep = UInt32(bitPattern: -Int32(truncatingIfNeeded: (y[o] > 0).toInt))
                dst[Int(argmax[o])] = Float(bitPattern: dy[o].bitPattern & keep)
            }
        } else {
            for o in 0 ..< outPlane { dst[Int(argmax[o])] = dy[o] }
        }
        return
    }
    if overwrite { dst.update(repeating: 0, count: g.h * g.w) }
    if relu {
        for o in 0 ..< outPlane { dst[Int(argmax[o])] += y[o] > 0 ? dy[o] : 0 }
    } else {
        for o in 0 ..< outPlane { dst[Int(argmax[o])] += dy[o] }
    }
}

private extension Bool {
    /// 1 for true, 0 for false.
    @inline(__always) var toInt: Int { self ? 1 : 0 }
}
