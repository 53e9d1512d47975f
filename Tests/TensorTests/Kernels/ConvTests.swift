import XCTest
@testable import Tensor

final class ConvTests: XCTestCase {
    /// Direct-loop reference: out[n, co, oh, ow] = b[co] + Σ w[co, ci, kh, kw] x[n, ci, oh·sh + kh·dh - ph, ow·sw + kw·dw - pw].
    func naiveConv2d(_ x: Tensor, _ w: Tensor, _ b: Tensor?, _ s: (Int, Int), _ p: (Int, Int), _ d: (Int, Int)) -> [Float] {
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (cout, kh, kw) = (w.shape[0], w.shape[2], w.shape[3])
        let hout = (h + 2 * p.0 - d.0 * (kh - 1) - 1) / s.0 + 1, wout = (wd + 2 * p.1 - d.1 * (kw - 1) - 1) / s.1 + 1
        var out = [Float](repeating: 0, count: n * cout * hout * wout)
        for i in 0 ..< n { for co in 0 ..< cout { for oh in 0 ..< hout { for ow in 0 ..< wout {
            var acc = b?.data[co] ?? 0
            for ci in 0 ..< cin { for a in 0 ..< kh { for c in 0 ..< kw {
                let ih = oh * s.0 + a * d.0 - p.0, iw = ow * s.1 + c * d.1 - p.1
                if ih >= 0 && ih < h && iw >= 0 && iw < wd {
                    acc += w.data[((co * cin + ci) * kh + a) * kw + c] * x.data[((i * cin + ci) * h + ih) * wd + iw]
                }
            } } }
            out[((i * cout + co) * hout + oh) * wout + ow] = acc
        } } } }
        return out
    }

    let cases1d: [(l: Int, k: Int, stride: Int, padding: Int, dilation: Int)] = [
        (7, 3, 1, 0, 1), (8, 4, 1, 0, 1), (9, 3, 2, 1, 1), (10, 3, 3, 2, 2), (5, 1, 1, 0, 1), (6, 1, 2, 1, 1), (11, 2, 1, 0, 3),
    ]

    func testConv1dMatchesDirectLoops() {
        for (i, c) in cases1d.enumerated() {
            let x = randomTensor([3, 2, c.l], seed: UInt64(i)), w = randomTensor([4, 2, c.k], seed: UInt64(50 + i))
            let b = randomTensor([4], seed: UInt64(90 + i))
            let y = conv1d(x, weight: w, bias: b, stride: c.stride, padding: c.padding, dilation: c.dilation)
            let ref = naiveConv2d(x.reshaped([3, 2, 1, c.l]), w.reshaped([4, 2, 1, c.k]), b, (1, c.stride), (0, c.padding), (1, c.dilation))
            assertClose(y.data, ref, tolerance: 1e-5)
        }
    }

    func testConv1dGradients() {
        for threads in [1, 2] {
            let saved = Threads.count
            Threads.setCount(threads)
            defer { Threads.setCount(saved) }
            for (i, c) in cases1d.enumerated() {
                let x = randomTensor([3, 2, c.l], seed: UInt64(i)), w = randomTensor([4, 2, c.k], seed: UInt64(50 + i))
                let b = randomTensor([4], seed: UInt64(90 + i))
                checkGradients([x, w, b]) { conv1d($0[0], weight: $0[1], bias: $0[2], stride: c.stride, padding: c.padding, dilation: c.dilation) }
                checkGradients([x, w]) { conv1d($0[0], weight: $0[1], stride: c.stride, padding: c.padding, dilation: c.dilation) }
            }
        }
    }

    func testConv1dWithoutInputGradient() {
        // Only the weight requires grad (the network's first layer): x gets nothing.
        let x = randomTensor([2, 3, 9], seed: 1), w = randomTensor([2, 3, 4], seed: 2, scale: 1)
        w.requiresGrad = true
        conv1d(x, weight: w).sum().backward()
        XCTAssertNil(x.grad)
        XCTAssertNotNil(w.grad)
    }

    func testConv2d() {
        let cases: [(s: (Int, Int), p: (Int, Int), d: (Int, Int), k: (Int, Int))] = [
            ((1, 1), (0, 0), (1, 1), (3, 3)), ((2, 1), (1, 2), (1, 1), (3, 2)), ((1, 2), (0, 1), (2, 1), (2, 3)), ((1, 1), (0, 0), (1, 1), (1, 1)),
        ]
        for (i, c) in cases.enumerated() {
            let x = randomTensor([2, 3, 6, 7], seed: UInt64(i)), w = randomTensor([2, 3, c.k.0, c.k.1], seed: UInt64(20 + i))
            let b = randomTensor([2], seed: UInt64(40 + i))
            let y = conv2d(x, weight: w, bias: b, stride: c.s, padding: c.p, dilation: c.d)
            assertClose(y.data, naiveConv2d(x, w, b, c.s, c.p, c.d), tolerance: 1e-5)
            checkGradients([x, w, b]) { conv2d($0[0], weight: $0[1], bias: $0[2], stride: c.s, padding: c.p, dilation: c.d) }
        }
    }

    func testDeterministicForAThreadCount() {
        // Same inputs, same thread count: bit-identical outputs and gradients.
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        for threads in [1, 2] {
            Threads.setCount(threads)
            func run() -> [[Float]] {
                let x = randomTensor([5, 3, 40], seed: 1), w = randomTensor([4, 3, 4], seed: 2), b = randomTensor([4], seed: 3)
                for t in [x, w, b] { t.requiresGrad = true }
                let y = maxPool1d(relu(conv1d(x, weight: w, bias: b, padding: 1)), kernel: 2)
                let out = y.data
                y.sum().backward()
                return [out, x.grad!, w.grad!, b.grad!]
            }
            XCTAssertEqual(run(), run(), "threads \(threads)")
        }
    }

    func testCol2imOverwriteEqualsAccumulateIntoZeros() {
        // The write-once 1-D stride-1 path (and the general one) equal adding into zeros.
        for (i, c) in cases1d.enumerated() {
            let g = ConvGeometry(n: 1, cin: 3, h: 1, w: c.l, cout: 1, kh: 1, kw: c.k, sh: 1, sw: c.stride,
                                 ph: 0, pw: c.padding, dh: 1, dw: c.dilation)
            let col = randomTensor([g.rows * g.cols], seed: UInt64(200 + i)).data
            var accumulated = [Float](repeating: 0, count: g.inPlane)
            var written = [Float](repeating: .nan, count: g.inPlane)
            col.withUnsafeBufferPointer { cp in
                accumulated.withUnsafeMutableBufferPointer { col2im(cp.baseAddress!, $0.baseAddress!, g) }
                written.withUnsafeMutableBufferPointer { col2im(cp.baseAddress!, $0.baseAddress!, g, overwrite: true) }
            }
            XCTAssertEqual(written, accumulated, "case \(i)")
        }
    }
}
