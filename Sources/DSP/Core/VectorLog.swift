extension Kernels {
    /// `log10(x)` for a normal positive float to about 1 ulp (Cephes `log10f`: a mantissa
    /// in [sqrt(1/2), sqrt(2)), a degree-9 polynomial for log(1 + f), then log10(e) and
    /// log10(2) as split constants). Branch-free, so that loops over it vectorise; +inf
    /// gives +inf, while zero, subnormal and NaN inputs are the caller's to avoid.
    @inline(__always)
    static func log10Normal(_ x: Float) -> Float {
        let bits = x.bitPattern
        let small = bits & 0x007F_FFFF < 0x0035_04F3 // mantissa below sqrt(2) - 1 in [1, 2)
        // Mantissa scaled into [sqrt(1/2), sqrt(2)) and its matching exponent.
        let m = Float(bitPattern: (bits & 0x007F_FFFF) | (small ? 0x3F80_0000 : 0x3F00_0000))
        let e = Float(Int32(bitPattern: bits >> 23) - (small ? 127 : 126))
        let f = m - 1
        let z = f * f
        var p: Float = 7.0376836292e-2
        p = p * f - 1.1514610310e-1
        p = p * f + 1.1676998740e-1
        p = p * f - 1.2420140846e-1
        p = p * f + 1.4249322787e-1
        p = p * f - 1.6668057665e-1
        p = p * f + 2.0000714765e-1
        p = p * f - 2.4999993993e-1
        p = p * f + 3.3333331174e-1
        let y = f * z * p - 0.5 * z
        // (f + y) log10(e) + e log10(2), each constant split into a short and a small part.
        var r = y * 7.00731903251827651129e-4
        r += f * 7.00731903251827651129e-4
        r += e * 2.48745663981195213739e-4
        r += y * 4.3359375e-1
        r += f * 4.3359375e-1
        r += e * 3.0078125e-1
        return bits >= 0x7F80_0000 ? x : r
    }
}

extension Kernels {
    /// The largest value of `v` (-infinity when empty; NaNs are skipped).
    static func maximum(_ v: UnsafeBufferPointer<Float>) -> Float {
        var a0 = -Float.infinity, a1 = a0, a2 = a0, a3 = a0
        var i = 0
        while i + 4 <= v.count {
            a0 = v[i] > a0 ? v[i] : a0
            a1 = v[i + 1] > a1 ? v[i + 1] : a1
            a2 = v[i + 2] > a2 ? v[i + 2] : a2
            a3 = v[i + 3] > a3 ? v[i + 3] : a3
            i += 4
        }
        while i < v.count { a0 = v[i] > a0 ? v[i] : a0; i += 1 }
        return Swift.max(Swift.max(a0, a1), Swift.max(a2, a3))
    }
}
