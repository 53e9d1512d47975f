import CCPU
import CWinograd
import XCTest
@testable import Tensor

/// Winograd 1-D convolutions (`WinogradConv1d`) against the definition (Double loops), the
/// im2col route, finite differences, and the fused conv + pooling kernels.
final class ConvWinogradTests: XCTestCase {
    override func tearDown() { ConvAlgorithm.forced = nil }

    /// y[i] = Σ_k g[k] d[i + k] in Double.
    private func correlate(_ d: [Double], _ g: [Double], outputs m: Int) -> [Double] {
        (0 ..< m).map { i in g.indices.reduce(0) { $0 + g[$1] * d[i + $1] } }
    }

    func testTransformsComputeTheCorrelation() {
        // Aᵀ [(G g) ⊙ (Bᵀ d)] == correlation, for every filter length Winograd is used for.
        var rng = SeededGenerator(seed: 7)
        for r in 2 ... 6 {
            let m = WinogradTransform.outputsPerTile(taps: r)!
            let t = WinogradTransform(m: m, r: r)
            XCTAssertEqual(t.alpha, m + r - 1)
            for _ in 0 ..< 5 {
                let g = (0 ..< r).map { _ in Double(rng.nextNormal()) }, d = (0 ..< t.alpha).map { _ in Double(rng.nextNormal()) }
                let u = (0 ..< t.alpha).map { xi in (0 ..< r).reduce(0.0) { $0 + Double(t.filter[xi * r + $1]) * g[$1] } }
                let v = (0 ..< t.alpha).map { xi in (0 ..< t.alpha).reduce(0.0) { $0 + Double(t.inputT[xi * t.alpha + $1]) * d[$1] } }
                let y = (0 ..< m).map { i in (0 ..< t.alpha).reduce(0.0) { $0 + Double(t.outputT[i * t.alpha + $1]) * u[$1] * v[$1] } }
                let ref = correlate(d, g, outputs: m)
                for (a, b) in zip(y, ref) { XCTAssertEqual(a, b, accuracy: 1e-6, "F(\(m), \(r))") }
            }
        }
        XCTAssertNil(WinogradTransform.outputsPerTile(taps: 1))
        XCTAssertNil(WinogradTransform.outputsPerTile(taps: 7))
    }

    func testAppliesOnlyWhereItShould() {
        func geometry(cin: Int = 16, cout: Int = 16, k: Int = 4, stride: Int = 1, padding: Int = 0, dilation: Int = 1) -> ConvGeometry {
            ConvGeometry(n: 2, cin: cin, h: 1, w: 30, cout: cout, kh: 1, kw: k, sh: 1, sw: stride, ph: 0, pw: padding, dh: 1, dw: dilation)
        }
        XCTAssertNotNil(WinogradConv1d(geometry()))
        XCTAssertNotNil(WinogradConv1d(geometry(padding: 2)))
        XCTAssertNil(WinogradConv1d(geometry(stride: 2)))
        XCTAssertNil(WinogradConv1d(geometry(dilation: 2)))
        XCTAssertNil(WinogradConv1d(geometry(cin: 8)))
        XCTAssertNil(WinogradConv1d(geometry(cout: 8)))
        XCTAssertNil(WinogradConv1d(geometry(k: 1)))
        XCTAssertNil(WinogradConv1d(geometry(k: 9)))
        ConvAlgorithm.forced = .im2col
        XCTAssertNil(WinogradConv1d(geometry()))
    }

    /// (n, cin, cout, length, taps, padding): one tile, a partial last tile, several groups of
    /// samples per chunk, every filter length.
    let cases: [(n: Int, cin: Int, cout: Int, l: Int, k: Int, p: Int)] = [
        (1, 16, 16, 4, 4, 0), (3, 17, 20, 30, 4, 0), (7, 24, 16, 23, 3, 1), (2, 16, 33, 50, 2, 0),
        (5, 20, 18, 41, 5, 2), (4, 16, 16, 19, 6, 0), (9, 32, 16, 12, 4, 1),
    ]

    /// The same function on both routes: outputs and gradients of x, w, b.
    private func run(_ c: (n: Int, cin: Int, cout: Int, l: Int, k: Int, p: Int), _ algorithm: ConvAlgorithm, seed: UInt64) -> [[Float]] {
        ConvAlgorithm.forced = algorithm
        defer { ConvAlgorithm.forced = nil }
        let x = randomTensor([c.n, c.cin, c.l], seed: seed), w = randomTensor([c.cout, c.cin, c.k], seed: seed + 1, scale: 0.3)
        let b = randomTensor([c.cout], seed: seed + 2)
        for t in [x, w, b] { t.requiresGrad = true }
        let y = conv1d(x, weight: w, bias: b, padding: c.p)
        let r = randomTensor(y.shape, seed: seed + 3)
        (y * r).sum().backward()
        return [y.data, x.grad!, w.grad!, b.grad!]
    }

    func testEqualsIm2colValuesAndGradients() {
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        for threads in [1, 2] {
            Threads.setCount(threads)
            for (i, c) in cases.enumerated() {
                let g = ConvGeometry(n: c.n, cin: c.cin, h: 1, w: c.l, cout: c.cout, kh: 1, kw: c.k, sh: 1, sw: 1,
                                     ph: 0, pw: c.p, dh: 1, dw: 1)
                XCTAssertNotNil(WinogradConv1d(g), "case \(i)")
                let fast = run(c, .winograd, seed: UInt64(10 * i)), reference = run(c, .im2col, seed: UInt64(10 * i))
                for (name, (a, b)) in zip(["y", "dx", "dw", "db"], zip(fast, reference)) {
                    let scale = max(1, b.map(abs).max() ?? 0)
                    assertClose(a, b, tolerance: 2e-5 * scale)
                    XCTAssertEqual(a.count, b.count, "case \(i) \(name)")
                }
            }
        }
    }

    func testEveryRouteEqualsIm2col() {
        // The transforms' C kernel on each route this CPU has (generic, AVX2, AVX-512; SGEMM on
        // the matching route or OpenBLAS), against im2col on the level the machine runs.
        let reference = cases.enumerated().map { run($1, .im2col, seed: UInt64(10 * $0)) }
        defer { melcnn_isa_override(-1) }
        for level in Int32(MELCNN_ISA_GENERIC) ... melcnn_isa_level() {
            melcnn_isa_override(level)
            let route = String(cString: melcnn_winograd_kernel())
            for (i, c) in cases.enumerated() {
                let fast = run(c, .winograd, seed: UInt64(10 * i))
                for (a, b) in zip(fast, reference[i]) {
                    XCTAssertEqual(a.count, b.count, route)
                    let scale = max(1, b.map(abs).max() ?? 0)
                    let worst = zip(a, b).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertLessThanOrEqual(worst, 2e-5 * scale, "route \(route), case \(i)")
                }
            }
        }
    }

    func testFiniteDifferences() {
        ConvAlgorithm.forced = .winograd
        let x = randomTensor([2, 16, 11], seed: 1), w = randomTensor([16, 16, 4], seed: 2, scale: 0.3)
        let b = randomTensor([16], seed: 3)
        checkGradients([x, w, b]) { conv1d($0[0], weight: $0[1], bias: $0[2], padding: 1) }
    }

    func testFusedPoolingKernelsEqualTheCompositionBitForBit() {
        ConvAlgorithm.forced = .winograd
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        for threads in [1, 2] {
            Threads.setCount(threads)
            func grads(_ f: (Tensor, Tensor, Tensor) -> Tensor) -> [[Float]] {
                let x = randomTensor([5, 16, 37], seed: 4), w = randomTensor([24, 16, 4], seed: 5, scale: 0.3)
                let b = randomTensor([24], seed: 6)
                for t in [x, w, b] { t.requiresGrad = true }
                let y = f(x, w, b)
                (y * randomTensor(y.shape, seed: 7)).sum().backward()
                return [y.data, x.grad!, w.grad!, b.grad!]
            }
            XCTAssertEqual(grads { conv1dReluMaxPool1d($0, weight: $1, bias: $2, poolKernel: 4) },
                           grads { reluMaxPool1d(conv1d($0, weight: $1, bias: $2), kernel: 4) }, "threads \(threads)")
        }
    }

    func testDeterministicForAThreadCount() {
        let saved = Threads.count
        defer { Threads.setCount(saved) }
        for threads in [1, 2] {
            Threads.setCount(threads)
            XCTAssertEqual(run(cases[6], .winograd, seed: 3), run(cases[6], .winograd, seed: 3), "threads \(threads)")
        }
    }
}

extension ConvWinogradTests {
    func testAccuracyAtTheSpotifyNetworksSizes() {
        // The second layer of Configs/spotify.yaml (256 -> 256 channels, 4 taps, 149 frames):
        // the largest error against the definition in Double, relative to the largest output,
        // for both algorithms (measured on an AVX-512 CPU: Winograd 2.4e-6, im2col 4.7e-7).
        let x = randomTensor([2, 256, 149], seed: 11), w = randomTensor([256, 256, 4], seed: 12, scale: 0.03)
        var reference = [Double](repeating: 0, count: 2 * 256 * 146)
        for n in 0 ..< 2 { for co in 0 ..< 256 { for o in 0 ..< 146 {
            var s = 0.0
            for ci in 0 ..< 256 { for k in 0 ..< 4 { s += Double(w.data[(co * 256 + ci) * 4 + k]) * Double(x.data[(n * 256 + ci) * 149 + o + k]) } }
            reference[(n * 256 + co) * 146 + o] = s
        } } }
        let scale = reference.map(abs).max()!
        var errors: [ConvAlgorithm: Double] = [:]
        for algorithm in [ConvAlgorithm.winograd, .im2col] {
            ConvAlgorithm.forced = algorithm
            let y = conv1d(x, weight: w)
            errors[algorithm] = zip(y.data, reference).map { abs(Double($0) - $1) }.max()! / scale
        }
        XCTAssertLessThan(errors[.winograd]!, 5e-6)
        XCTAssertLessThan(errors[.im2col]!, 2e-6)
    }

    func testSplittingTheBatchChangesTheWeightGradientByRoundingOnly() {
        // What data-parallel training relies on: dW of 32 samples = dW of 16 + dW of the other
        // 16, up to rounding (measured: 5.5e-7 of the largest element; im2col 1.4e-7). The demo
        // network's third layer: 32 -> 64 channels, 13 frames (a partial last tile).
        ConvAlgorithm.forced = .winograd
        let x = relu(randomTensor([32, 32, 13], seed: 1)), w = randomTensor([64, 32, 4], seed: 2, scale: 0.1)
        let dy = randomTensor([32, 64, 10], seed: 3)
        func gradient(_ samples: Range<Int>) -> [Float] {
            let part = Tensor(shape: [samples.count, 32, 13], data: Array(x.data[samples.lowerBound * 416 ..< samples.upperBound * 416]))
            let weight = Tensor(shape: w.shape, data: w.data)
            weight.requiresGrad = true
            let d = Tensor(shape: [samples.count, 64, 10], data: Array(dy.data[samples.lowerBound * 640 ..< samples.upperBound * 640]))
            (conv1d(part, weight: weight) * d).sum().backward()
            return weight.grad!
        }
        let whole = gradient(0 ..< 32), halves = zip(gradient(0 ..< 16), gradient(16 ..< 32)).map { $0 + $1 }
        let scale = whole.map(abs).max()!
        XCTAssertLessThan(zip(whole, halves).map { abs($0 - $1) }.max()! / scale, 2e-6)
    }
}

extension ConvWinogradTests {
    func testEmptyBatch() {
        ConvAlgorithm.forced = .winograd
        let x = Tensor(shape: [0, 16, 20], data: []), w = randomTensor([16, 16, 4], seed: 1)
        w.requiresGrad = true
        let y = conv1d(x, weight: w)
        XCTAssertEqual(y.shape, [0, 16, 17])
        y.sum().backward()
        XCTAssertEqual(w.grad, [Float](repeating: 0, count: 16 * 16 * 4))
    }
}
