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
