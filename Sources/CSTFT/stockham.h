// The FFT of the frame kernels, written once for any vector width: the file that includes it
// defines VF (the float vector type), LANES (frames per vector), VADD, VSUB, VMUL, VFMADD,
// VFMSUB, VSET1, VLOAD, VLOADU, VSTORE, VZERO, TRANSPOSE(r) (in-register LANES x LANES
// transpose of `VF r[LANES]`) and STOCKHAM (the function's name). One frame per
// lane, so the FFT needs no shuffles: a Stockham autosort FFT (as in OTFFT's fft0; radix-8
// stages, then one radix-4 or radix-2 stage) of the n/2 complex points z[j] = x[2j] + i x[2j+1]
// (laid out [index][re x LANES, im x LANES] in `x`; `y` the same size, as work space; both in
// `scratch`, MELCNN_FFT_WORK_OFFSET floats apart: internal.h says why), then
// the real split X[k] = E[k] - i W^k D[k] (the standard "two-for-one" real FFT), then
// `power[16 k + l] = |X_l[k]|^2` for the LANES frames l.
#define CPLX (2 * LANES)

// |X[k]|^2 from a = Z[k], b = Z[m - k] and the split twiddle W^k = (wr, wi):
// e = (a + conj b) / 2, d = (a - conj b) / 2, X = e - i W d.
static inline VF splitBin(VF ar, VF ai, VF br, VF bi, float wr, float wi) {
    const VF half = VSET1(0.5f);
    VF er = VMUL(half, VADD(ar, br)), ei = VMUL(half, VSUB(ai, bi));
    VF dr = VMUL(half, VSUB(ar, br)), di = VMUL(half, VADD(ai, bi));
    // -i W d = (wr di + wi dr) - i (wr dr - wi di)
    VF w0 = VSET1(wr), w1 = VSET1(wi);
    VF orr = VFMADD(w0, di, VMUL(w1, dr));
    VF oi = VFMSUB(w1, di, VMUL(w0, dr));
    VF xr = VADD(er, orr), xi = VADD(ei, oi);
    return VFMADD(xr, xr, VMUL(xi, xi));
}

// One radix-8 butterfly of a Stockham stage: the points a_k = (ar[k], ai[k]), k < 8, give
// X_k w^(k p) at o + k * step (w: the seven twiddles w^(k p), k = 1 ... 7, as re, im).
static inline void radix8(const VF ar[8], const VF ai[8], const float *w, float *o, long step) {
    const VF r2 = VSET1(0.70710678118654752f);
    // b_j = a_j + a_{j+4}, b_{j+4} = a_j - a_{j+4}
    VF b0r = VADD(ar[0], ar[4]), b0i = VADD(ai[0], ai[4]);
    VF b1r = VADD(ar[1], ar[5]), b1i = VADD(ai[1], ai[5]);
    VF b2r = VADD(ar[2], ar[6]), b2i = VADD(ai[2], ai[6]);
    VF b3r = VADD(ar[3], ar[7]), b3i = VADD(ai[3], ai[7]);
    VF b4r = VSUB(ar[0], ar[4]), b4i = VSUB(ai[0], ai[4]);
    VF b5r = VSUB(ar[1], ar[5]), b5i = VSUB(ai[1], ai[5]);
    VF b6r = VSUB(ar[2], ar[6]), b6i = VSUB(ai[2], ai[6]);
    VF b7r = VSUB(ar[3], ar[7]), b7i = VSUB(ai[3], ai[7]);
    // Odd half: d5 = b5 W8, d6 = b6 (-i), d7 = b7 W8^3, W8 = (1 - i) / sqrt 2.
    VF d5r = VMUL(r2, VADD(b5r, b5i)), d5i = VMUL(r2, VSUB(b5i, b5r));
    VF d6r = b6i, d6i = VSUB(VZERO, b6r);
    VF d7r = VMUL(r2, VSUB(b7i, b7r));
    VF d7i = VMUL(r2, VSUB(VSUB(VZERO, b7r), b7i));
    // Even outputs: DFT4(b0, b1, b2, b3) -> X0, X2, X4, X6.
    VF c0r = VADD(b0r, b2r), c0i = VADD(b0i, b2i);
    VF c2r = VSUB(b0r, b2r), c2i = VSUB(b0i, b2i);
    VF c1r = VADD(b1r, b3r), c1i = VADD(b1i, b3i);
    VF c3r = VSUB(b1r, b3r), c3i = VSUB(b1i, b3i);
    // Odd outputs: DFT4(b4, d5, d6, d7) -> X1, X3, X5, X7.
    VF e0r = VADD(b4r, d6r), e0i = VADD(b4i, d6i);
    VF e2r = VSUB(b4r, d6r), e2i = VSUB(b4i, d6i);
    VF e1r = VADD(d5r, d7r), e1i = VADD(d5i, d7i);
    VF e3r = VSUB(d5r, d7r), e3i = VSUB(d5i, d7i);
    VF xr[8], xi[8];
    xr[0] = VADD(c0r, c1r); xi[0] = VADD(c0i, c1i);
    xr[4] = VSUB(c0r, c1r); xi[4] = VSUB(c0i, c1i);
    xr[2] = VADD(c2r, c3i); xi[2] = VSUB(c2i, c3r);  // c2 - i c3
    xr[6] = VSUB(c2r, c3i); xi[6] = VADD(c2i, c3r);  // c2 + i c3
    xr[1] = VADD(e0r, e1r); xi[1] = VADD(e0i, e1i);
    xr[5] = VSUB(e0r, e1r); xi[5] = VSUB(e0i, e1i);
    xr[3] = VADD(e2r, e3i); xi[3] = VSUB(e2i, e3r);  // e2 - i e3
    xr[7] = VSUB(e2r, e3i); xi[7] = VADD(e2i, e3r);  // e2 + i e3
    VSTORE(o, xr[0]);
    VSTORE(o + LANES, xi[0]);
    for (int k = 1; k < 8; k++) {  // o[k step] = X_k w^(k p)
        VF wr = VSET1(w[2 * (k - 1)]), wi = VSET1(w[2 * (k - 1) + 1]);
        float *ok = o + step * k;
        VSTORE(ok, VFMSUB(xr[k], wr, VMUL(xi[k], wi)));
        VSTORE(ok + LANES, VFMADD(xr[k], wi, VMUL(xi[k], wr)));
    }
}

// The frames' windowed samples j0 ... j0 + LANES - 1, transposed: r[c] = sample j0 + c, lanes = frames.
static inline void loadTile(const float *const *frames, const float *window, long j0, VF r[LANES]) {
    VF w = VLOADU(window + j0);
    for (int l = 0; l < LANES; l++) r[l] = VMUL(VLOADU(frames[l] + j0), w);
    TRANSPOSE(r);
}

// The windowed frames as complex points, z[j] = w[2j] x[2j] + i w[2j+1] x[2j+1] (lanes =
// frames), written to `x` laid out [j][re x LANES, im x LANES].
static void loadPoints(long n, const float *const *frames, const float *window, float *x) {
    for (long j0 = 0; j0 < n; j0 += LANES) {
        VF r[LANES];
        loadTile(frames, window, j0, r);
        for (int c = 0; c < LANES; c += 2) {
            VSTORE(x + LANES * (j0 + c), r[c]);  // point (j0 + c) / 2: 2 LANES floats
            VSTORE(x + LANES * (j0 + c) + LANES, r[c + 1]);
        }
    }
}

static void STOCKHAM(const MelCNNFrameFFT *f, const float *const *frames, const float *window, float *scratch,
                     float *power) {
    long m = f->m;
    float *x = scratch, *y = scratch + CPLX * m + MELCNN_FFT_WORK_OFFSET;
    // Stockham stages (OTFFT's fft0): len = current length, s = stride; radix 8 while
    // len >= 8, then one radix-4 or radix-2 stage for what is left.
    const float *t = f->tw;
    long len = m, s = 1;
    float *src = x, *dst = y;
    loadPoints(f->n, frames, window, x);
    while (len >= 8) {
        long q = len / 8;
        for (long p = 0; p < q; p++) {
            const float *w = t + 14 * p;
            for (long qq = 0; qq < s; qq++) {
                VF ar[8], ai[8];
                for (int k = 0; k < 8; k++) {
                    const float *a = src + CPLX * (qq + s * (p + k * q));
                    ar[k] = VLOAD(a); ai[k] = VLOAD(a + LANES);
                }
                radix8(ar, ai, w, dst + CPLX * (qq + s * 8 * p), CPLX * s);
            }
        }
        t += 14 * q; len = q; s *= 8;
        float *tmp = src; src = dst; dst = tmp;
    }
    if (len == 4) {
        long q = len / 4;
        for (long p = 0; p < q; p++) {
            VF w1r = VSET1(t[6 * p]), w1i = VSET1(t[6 * p + 1]);
            VF w2r = VSET1(t[6 * p + 2]), w2i = VSET1(t[6 * p + 3]);
            VF w3r = VSET1(t[6 * p + 4]), w3i = VSET1(t[6 * p + 5]);
            for (long qq = 0; qq < s; qq++) {
                const float *a = src + CPLX * (qq + s * p), *b = src + CPLX * (qq + s * (p + q));
                const float *c = src + CPLX * (qq + s * (p + 2 * q)), *d = src + CPLX * (qq + s * (p + 3 * q));
                VF ar = VLOAD(a), ai = VLOAD(a + LANES);
                VF br = VLOAD(b), bi = VLOAD(b + LANES);
                VF cr = VLOAD(c), ci = VLOAD(c + LANES);
                VF dr = VLOAD(d), di = VLOAD(d + LANES);
                VF apcr = VADD(ar, cr), apci = VADD(ai, ci);
                VF amcr = VSUB(ar, cr), amci = VSUB(ai, ci);
                VF bpdr = VADD(br, dr), bpdi = VADD(bi, di);
                // j (b - d) = (-(bi - di), br - dr)
                VF jr = VSUB(di, bi), ji = VSUB(br, dr);
                float *o = dst + CPLX * (qq + s * 4 * p);
                VSTORE(o, VADD(apcr, bpdr));
                VSTORE(o + LANES, VADD(apci, bpdi));
                VF u1r = VSUB(amcr, jr), u1i = VSUB(amci, ji);
                VF u2r = VSUB(apcr, bpdr), u2i = VSUB(apci, bpdi);
                VF u3r = VADD(amcr, jr), u3i = VADD(amci, ji);
                o += CPLX * s;
                VSTORE(o, VFMSUB(u1r, w1r, VMUL(u1i, w1i)));
                VSTORE(o + LANES, VFMADD(u1r, w1i, VMUL(u1i, w1r)));
                o += CPLX * s;
                VSTORE(o, VFMSUB(u2r, w2r, VMUL(u2i, w2i)));
                VSTORE(o + LANES, VFMADD(u2r, w2i, VMUL(u2i, w2r)));
                o += CPLX * s;
                VSTORE(o, VFMSUB(u3r, w3r, VMUL(u3i, w3i)));
                VSTORE(o + LANES, VFMADD(u3r, w3i, VMUL(u3i, w3r)));
            }
        }
        t += 6 * q; len = q; s *= 4;
        float *tmp = src; src = dst; dst = tmp;
    }
    // Real split of Z: X[k] = (Z[k] + conj Z[m-k]) / 2 - i/2 W^k (Z[k] - conj Z[m-k]), the
    // bins k and m - k from the same two loads. A radix-2 stage left over (len == 2, s = m / 2)
    // is done on the fly, Z[k] = src[k] + src[k + s], Z[k + s] = src[k] - src[k + s], which saves
    // a pass over the data; the same operations in the same order either way.
    const float *sw = f->split;
    long h = m / 2;
    VF z0r, z0i, zhr, zhi;  // Z[0], Z[h]
    if (len == 2) {  // s = h
        VF ar = VLOAD(src), ai = VLOAD(src + LANES);
        VF br = VLOAD(src + CPLX * h), bi = VLOAD(src + CPLX * h + LANES);
        z0r = VADD(ar, br); z0i = VADD(ai, bi);
        zhr = VSUB(ar, br); zhi = VSUB(ai, bi);
        for (long k = 1; k < h; k++) {
            const float *a = src + CPLX * k, *b = src + CPLX * (k + h);
            const float *c = src + CPLX * (h - k), *d = src + CPLX * (m - k);
            VF zkr = VADD(VLOAD(a), VLOAD(b)), zki = VADD(VLOAD(a + LANES), VLOAD(b + LANES));
            VF zcr = VSUB(VLOAD(c), VLOAD(d)), zci = VSUB(VLOAD(c + LANES), VLOAD(d + LANES));
            VSTORE(power + 16 * k, splitBin(zkr, zki, zcr, zci, sw[2 * k], sw[2 * k + 1]));
            VSTORE(power + 16 * (m - k), splitBin(zcr, zci, zkr, zki, sw[2 * (m - k)], sw[2 * (m - k) + 1]));
        }
    } else {
        z0r = VLOAD(src); z0i = VLOAD(src + LANES);
        zhr = VLOAD(src + CPLX * h); zhi = VLOAD(src + CPLX * h + LANES);
        for (long k = 1; k < h; k++) {
            const float *a = src + CPLX * k, *c = src + CPLX * (m - k);
            VF zkr = VLOAD(a), zki = VLOAD(a + LANES), zcr = VLOAD(c), zci = VLOAD(c + LANES);
            VSTORE(power + 16 * k, splitBin(zkr, zki, zcr, zci, sw[2 * k], sw[2 * k + 1]));
            VSTORE(power + 16 * (m - k), splitBin(zcr, zci, zkr, zki, sw[2 * (m - k)], sw[2 * (m - k) + 1]));
        }
    }
    VSTORE(power + 16 * h, splitBin(zhr, zhi, zhr, zhi, sw[2 * h], sw[2 * h + 1]));
    // k = 0 and k = m: X[0] = Zr + Zi, X[m] = Zr - Zi (real)
    VF x0 = VADD(z0r, z0i), xm = VSUB(z0r, z0i);
    VSTORE(power, VMUL(x0, x0));
    VSTORE(power + 16 * m, VMUL(xm, xm));
}

#undef CPLX
