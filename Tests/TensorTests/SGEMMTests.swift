import CCPU
import COpenBLAS
import CSGEMM
import XCTest
@testable import Tensor

/// melcnn's own SGEMM (Sources/CSGEMM, each of its routes) against OpenBLAS's cblas_sgemm,
/// and the threaded Swift wrapper against the single-threaded kernel.
final class SGEMMTests: XCTestCase {
    private struct Case {
        let transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float, beta: Float
    }

    /// Runs one product with padded strides through `product` and through cblas_sgemm;
    /// returns the largest error relative to max|reference| and whether C's padding changed.
    private func compare(_ t: Case, using generator: inout SeededGenerator,
                         product: (UnsafePointer<Float>, Int, UnsafePointer<Float>, Int,
                                   UnsafeMutablePointer<Float>, Int) -> Void) -> (Float, Bool) {
        let lda = (t.transA ? t.m : t.k) + 3, ldb = (t.transB ? t.k : t.n) + 5, ldc = t.n + 2
        let a = Tensor.uniform([(t.transA ? t.k : t.m) * lda], low: -1, high: 1, using: &generator).data
        let b = Tensor.uniform([(t.transB ? t.n : t.k) * ldb], low: -1, high: 1, using: &generator).data
        let c0 = Tensor.uniform([t.m * ldc], low: -1, high: 1, using: &generator).data
        var reference = c0
        // beta == 0 must not read C: fill ours with NaN there.
        var ours = t.beta == 0 ? c0.enumerated().map { $0.offset % ldc < t.n ? Float.nan : $0.element } : c0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                ours.withUnsafeMutableBufferPointer {
                    product(a.baseAddress!, lda, b.baseAddress!, ldb, $0.baseAddress!, ldc)
                }
                cblas_sgemm(CblasRowMajor, t.transA ? CblasTrans : CblasNoTrans,
                            t.transB ? CblasTrans : CblasNoTrans, blasint(t.m), blasint(t.n), blasint(t.k),
                            t.alpha, a.baseAddress!, blasint(lda), b.baseAddress!, blasint(ldb),
                            t.beta, &reference, blasint(ldc))
            }
        }
        var worst: Float = 0, scale: Float = 1e-30, paddingChanged = false
        for i in 0 ..< t.m {
            for j in 0 ..< ldc {
                let (r, o) = (reference[i * ldc + j], ours[i * ldc + j])
                if j >= t.n { paddingChanged = paddingChanged || r != o; continue }
                scale = max(scale, abs(r))
                worst = max(worst, o.isNaN ? .infinity : abs(r - o))
            }
        }
        return (worst / scale, paddingChanged)
    }

    private func randomCases(_ count: Int, sizes: [Int], using generator: inout SeededGenerator) -> [Case] {
        (0 ..< count).map { _ in
            Case(transA: Bool.random(using: &generator), transB: Bool.random(using: &generator),
                 m: sizes.randomElement(using: &generator)!, n: sizes.randomElement(using: &generator)!,
                 k: sizes.randomElement(using: &generator)!,
                 alpha: [1, 0.5, -2].randomElement(using: &generator)!,
                 beta: [0, 1, 0.25].randomElement(using: &generator)!)
        }
    }

    /// The CPU levels with an SGEMM route here (AVX-512, AVX2), best first, as far as the CPU
    /// and `MELCNN_CPU` allow.
    private var routeLevels: [Int32] {
        [Int32(MELCNN_ISA_AVX512), Int32(MELCNN_ISA_AVX2)].filter { $0 <= melcnn_isa_level() }
    }

    /// Runs `body` once on each route, with the level capped to it (the cap is removed after).
    private func forEachRoute(_ body: (String) throws -> Void) throws {
        let levels = routeLevels
        try XCTSkipIf(levels.isEmpty, "no AVX2 or AVX-512 here: OpenBLAS is used")
        defer { melcnn_isa_override(-1) }
        for level in levels {
            melcnn_isa_override(level)
            try body(String(cString: melcnn_sgemm_kernel()))
        }
    }

    func testKernelMatchesOpenBLASOnOddShapesStridesAndScalars() throws {
        try forEachRoute { route in
            kernelMatchesOpenBLAS(route: route)
        }
    }

    private func kernelMatchesOpenBLAS(route: String) {
        var generator = SeededGenerator(seed: 11)
        let sizes = [1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 65, 100, 390, 481]
        var cases = randomCases(150, sizes: sizes, using: &generator)
        // Several depth blocks, several column blocks (480 for AVX-512) and every transpose pair.
        for (ta, tb) in [(false, false), (false, true), (true, false), (true, true)] {
            cases.append(Case(transA: ta, transB: tb, m: 203, n: 1001, k: 900, alpha: 1, beta: 1))
        }
        for t in cases {
            let (error, paddingChanged) = compare(t, using: &generator) { a, lda, b, ldb, c, ldc in
                XCTAssertEqual(melcnn_sgemm(t.transA ? 1 : 0, t.transB ? 1 : 0, t.m, t.n, t.k, t.alpha,
                                            a, lda, b, ldb, t.beta, c, ldc), 0)
            }
            XCTAssertLessThan(error, 1e-5, "\(route): \(t)")
            XCTAssertFalse(paddingChanged, "\(route) wrote outside C's columns: \(t)")
        }
    }

    func testWrapperSplitsOverThreadsWithIdenticalResults() {
        let before = Threads.count
        defer { Threads.setCount(before) }
        var generator = SeededGenerator(seed: 12)
        // Big enough to be split over 2 threads, by columns (wide) and by rows (narrow).
        let cases = [Case(transA: false, transB: true, m: 64, n: 1000, k: 300, alpha: 1, beta: 0),
                     Case(transA: true, transB: false, m: 1000, n: 40, k: 300, alpha: 0.5, beta: 1)]
        for t in cases {
            var results: [[Float]] = []
            for threads in [1, 2] {
                Threads.setCount(threads)
                var g = generator
                let lda = t.transA ? t.m : t.k, ldb = t.transB ? t.k : t.n
                let a = Tensor.uniform([(t.transA ? t.k : t.m) * lda], low: -1, high: 1, using: &g).data
                let b = Tensor.uniform([(t.transB ? t.n : t.k) * ldb], low: -1, high: 1, using: &g).data
                var c = Tensor.uniform([t.m * t.n], low: -1, high: 1, using: &g).data
                sgemm(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
                      a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: &c, ldc: t.n)
                results.append(c)
            }
            XCTAssertEqual(results[0], results[1], "\(t)")
            let (error, _) = compare(t, using: &generator) { a, lda, b, ldb, c, ldc in
                sgemm(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
                      a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: c, ldc: ldc)
            }
            XCTAssertLessThan(error, 1e-5, "\(t)")
        }
    }

    func testSharedLeftOperandGivesTheSameBitsAsSGEMM() {
        var generator = SeededGenerator(seed: 13)
        for t in randomCases(40, sizes: [1, 5, 8, 17, 33, 100, 400, 1030], using: &generator) {
            let lda = t.transA ? t.m : t.k, ldb = t.transB ? t.k : t.n
            let a = Tensor.uniform([t.m * t.k], low: -1, high: 1, using: &generator).data
            let b = Tensor.uniform([t.k * t.n], low: -1, high: 1, using: &generator).data
            let c0 = Tensor.uniform([t.m * t.n], low: -1, high: 1, using: &generator).data
            var (direct, shared) = (c0, c0)
            sgemm(transA: t.transA, transB: t.transB, m: t.m, n: t.n, k: t.k, alpha: t.alpha,
                  a: a, lda: lda, b: b, ldb: ldb, beta: t.beta, c: &direct, ldc: t.n)
            a.withUnsafeBufferPointer { a in
                let operand = SharedLeftOperand(transA: t.transA, m: t.m, k: t.k, a: a.baseAddress!, lda: lda)
                for _ in 0 ..< 2 {  // used twice: packing happens once
                    shared = c0
                    operand.multiply(transB: t.transB, n: t.n, alpha: t.alpha, b: b, ldb: ldb, beta: t.beta,
                                     c: &shared, ldc: t.n)
                }
            }
            XCTAssertEqual(shared, direct, "\(t)")
        }
    }

    func testPackedLeftOperandGivesTheBitsOfTheKernelOnEachRoute() throws {
        try forEachRoute { route in
            var generator = SeededGenerator(seed: 14)
            for t in randomCases(30, sizes: [1, 5, 6, 7, 17, 33, 100, 390, 700], using: &generator) {
                let lda = (t.transA ? t.m : t.k) + 1, ldb = (t.transB ? t.k : t.n) + 2, ldc = t.n + 3
                let a = Tensor.uniform([(t.transA ? t.k : t.m) * lda], low: -1, high: 1, using: &generator).data
                let b = Tensor.uniform([(t.transB ? t.n : t.k) * ldb], low: -1, high: 1, using: &generator).data
                let c0 = Tensor.uniform([t.m * ldc], low: -1, high: 1, using: &generator).data
                var (direct, shared) = (c0, c0)
                let ta: Int32 = t.transA ? 1 : 0, tb: Int32 = t.transB ? 1 : 0
                XCTAssertEqual(melcnn_sgemm(ta, tb, t.m, t.n, t.k, t.alpha, a, lda, b, ldb, t.beta, &direct, ldc), 0)
                let packed = melcnn_sgemm_pack_a(ta, t.m, t.k, a, lda)
                defer { melcnn_sgemm_free_packed_a(packed) }
                XCTAssertNotNil(packed, "\(route): \(t)")
                XCTAssertEqual(melcnn_sgemm_packed_a(packed, tb, t.n, t.alpha, b, ldb, t.beta, &shared, ldc), 0)
                XCTAssertEqual(shared, direct, "\(route): \(t)")
            }
        }
    }
}
