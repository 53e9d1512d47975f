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

    /// `dst[k] = |z_k|^power` from `n` interleaved complex values (power 2 without a
    /// square root, power 1 the magnitude, otherwise `pow(|z|, power)`).
    @inline(__always)
    static func powerOfComplex(_ z: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, _ n: Int, power: Float) {
        if power == 2 {
            for k in 0 ..< n {
                let re = z[2 * k], im = z[2 * k + 1]
                dst[k] = re * re + im * im
            }
        } else if power == 1 {
            // Eight values at a time (de-interleaved with evenHalf / oddHalf), then the rest; the
            // same operations per value as the scalar loop, so the same bits.
            let raw = UnsafeRawPointer(z)
            var k = 0
            while k + 8 <= n {
                let v = raw.loadUnaligned(fromByteOffset: 2 * k * MemoryLayout<Float>.stride, as: SIMD16<Float>.self)
                let re = v.evenHalf, im = v.oddHalf
                let magnitude = (re * re + im * im).squareRoot()
                UnsafeMutableRawPointer(dst + k).storeBytes(of: magnitude, as: SIMD8<Float>.self)
                k += 8
            }
            while k < n {
                let re = z[2 * k], im = z[2 * k + 1]
                dst[k] = (re * re + im * im).squareRoot()
                k += 1
            }
        } else {
            for k in 0 ..< n {
                let re = z[2 * k], im = z[2 * k + 1]
                dst[k] = Float(pow(Double((re * re + im * im).squareRoot()), Double(power)))
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
