import CSTFT

/// Small vector kernels for the DSP hot loops (raw pointers, no allocation).
enum Kernels {
    /// `sum(a[i] * b[i])` for `i < n`, eight lanes at a time.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
        var acc = SIMD8<Float>()
        var i = 0
        let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
        let stride = MemoryLayout<Float>.stride
        while i + 8 <= n {
            acc += ra.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
                * rb.loadUnaligned(fromByteOffset: i * stride, as: SIMD8<Float>.self)
            i += 8
        }
        var sum = acc.sum()
        while i < n {
            sum += a[i] * b[i]
            i += 1
        }
        return sum
    }

    /// `dst[i] = src[i] * w[i]` for `i < n`.
    @inline(__always)
    static func multiply(_ src: UnsafePointer<Float>, _ w: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int) {
        for i in 0 ..< n { dst[i] = src[i] * w[i] }
    }

    /// `dst[k] = |z_k|^power` from `n` interleaved complex values: `|z|^2`, then `raisePower`.
    @inline(__always)
    static func powerOfComplex(_ z: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int, power: Float) {
        for k in 0 ..< n {
            let re = z[2 * k], im = z[2 * k + 1]
            dst[k] = re * re + im * im
        }
        raisePower(dst, n, power: power)
    }

    /// `|X|^2` values made `|X|^power` in place: kept for power 2, square roots for power 1 (in
    /// C, four per instruction; Swift's squareRoot in a loop is a libm call per value, with the
    /// same correctly rounded result), otherwise `pow(|X|, power)` in double.
    @inline(__always)
    static func raisePower(_ values: UnsafeMutablePointer<Float>, _ n: Int, power: Float) {
        if power == 1 {
            melcnn_square_roots(values, n)
        } else if power != 2 {
            for i in 0 ..< n { values[i] = Float(pow(Double(values[i].squareRoot()), Double(power))) }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
