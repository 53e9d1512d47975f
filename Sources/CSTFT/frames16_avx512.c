// Power spectra of 16 windowed frames at once, one frame per AVX-512 lane, so the FFT needs
// no shuffles: a Stockham autosort FFT (as in OTFFT's fft0; radix-8 stages, then one radix-4
// or radix-2 stage) of the n/2 complex points
// z[j] = x[2j] + i x[2j+1], then the real split X[k] = E[k] - i W^k D[k] (the standard
// "two-for-one" real FFT), then |X[k]|^2. librosa's STFT power = |FFT(window * frame)|^2.
#include "cstft.h"

#include <immintrin.h>
#include <math.h>
#include <stdlib.h>

#include "lanes.h"

#pragma clang attribute push(__attribute__((target("avx512f,avx512vl,avx2,fma"))), apply_to = function)

struct MelCNNFrameFFT {
    long n, m;    // real size n, complex size m = n / 2 (a power of two)
    float *tw;    // per radix-8 stage of length len: w^(k p) (re, im), k = 1 ... 7, p < len / 8;
                  // then a radix-4 stage of length 4: three unit twiddles
    float *split; // real-split twiddles e^{-2 pi i k / n}, k < m: (re, im)
};

MelCNNFrameFFT *melcnn_frame_fft_create(long n) {
    long m = n / 2;
    if (!melcnn_stft_available() || n < 32 || (m & (m - 1)) != 0) return NULL;
    MelCNNFrameFFT *f = malloc(sizeof(MelCNNFrameFFT));
    if (f == NULL) return NULL;
    f->n = n; f->m = m;
    long total = 0, len = m;
    while (len >= 8) { total += 14 * (len / 8); len /= 8; }
    if (len == 4) total += 6;
    f->tw = aligned_alloc(64, ((total + 16) * sizeof(float) + 63) / 64 * 64);
    f->split = aligned_alloc(64, ((2 * m + 16) * sizeof(float) + 63) / 64 * 64);
    if (f->tw == NULL || f->split == NULL) { free(f->tw); free(f->split); free(f); return NULL; }
    float *t = f->tw;
    len = m;
    while (len >= 8) {  // radix-8 stages: w^(k p), k = 1 ... 7, for p < len / 8
        long q = len / 8;
        for (long p = 0; p < q; p++)
            for (int k = 1; k < 8; k++) {
                double th = 2 * M_PI * (double)(k * p) / (double)len;
                t[14 * p + 2 * (k - 1)] = (float)cos(th);
                t[14 * p + 2 * (k - 1) + 1] = (float)-sin(th);
            }
        t += 14 * q; len /= 8;
    }
    if (len == 4) {     // one radix-4 stage of length 4: p = 0 only, unit twiddles
        for (int k = 0; k < 3; k++) { t[2 * k] = 1; t[2 * k + 1] = 0; }
    }
    for (long k = 0; k < m; k++) {
        double th = 2 * M_PI * (double)k / (double)n;
        f->split[2 * k] = (float)cos(th); f->split[2 * k + 1] = (float)-sin(th);
    }
    return f;
}

long melcnn_frame_fft_scratch_floats(long n) { return 32 * n; }

// In-register 16x16 transpose: afterwards r[c] holds what was column c.
static inline void transpose16(__m512 r[16]) {
    __m512 t[16];
    for (int i = 0; i < 8; i++) {
        t[2 * i] = _mm512_unpacklo_ps(r[2 * i], r[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(r[2 * i], r[2 * i + 1]);
    }
    for (int i = 0; i < 4; i++) {
        r[4 * i + 0] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 0]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 1] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 0]), _mm512_castps_pd(t[4 * i + 2])));
        r[4 * i + 2] = _mm512_castpd_ps(_mm512_unpacklo_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
        r[4 * i + 3] = _mm512_castpd_ps(_mm512_unpackhi_pd(_mm512_castps_pd(t[4 * i + 1]), _mm512_castps_pd(t[4 * i + 3])));
    }
    // now r[4i + j] holds, in each 128-bit lane L, elements (row 4i..4i+3 of lane L) col j of block
    for (int i = 0; i < 4; i++) {
        t[i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0x88);
        t[4 + i] = _mm512_shuffle_f32x4(r[i], r[4 + i], 0xdd);
        t[8 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0x88);
        t[12 + i] = _mm512_shuffle_f32x4(r[8 + i], r[12 + i], 0xdd);
    }
    for (int i = 0; i < 4; i++) {
        r[i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0x88);
        r[8 + i] = _mm512_shuffle_f32x4(t[i], t[8 + i], 0xdd);
        r[4 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0x88);
        r[12 + i] = _mm512_shuffle_f32x4(t[4 + i], t[12 + i], 0xdd);
    }
}

// Scratch holds two arrays of m complex vectors, laid out [index][re x 16, im x 16].
void melcnn_frame_fft_power16(const MelCNNFrameFFT *f, const float *const frames[16], const float *window,
                              float *power, float *scratch) {
    long n = f->n, m = f->m;
    float *x = scratch, *y = scratch + 32 * m;
    // Load: z[j] = w[2j] x[2j] + i w[2j+1] x[2j+1], lanes = frames.
    for (long j0 = 0; j0 < n; j0 += 16) {
        __m512 r[16];
        __m512 w = _mm512_loadu_ps(window + j0);
        for (int l = 0; l < 16; l++) r[l] = _mm512_mul_ps(_mm512_loadu_ps(frames[l] + j0), w);
        transpose16(r);  // r[c] = sample j0 + c of the 16 frames
        for (int c = 0; c < 16; c += 2) {
            long j = (j0 + c) / 2;
            _mm512_store_ps(x + 32 * j, r[c]);
            _mm512_store_ps(x + 32 * j + 16, r[c + 1]);
        }
    }
    // Stockham stages (OTFFT's fft0): len = current length, s = stride; radix 8 while
    // len >= 8, then one radix-4 or radix-2 stage for what is left.
    const float *t = f->tw;
    long len = m, s = 1;
    float *src = x, *dst = y;
    const __m512 r2 = _mm512_set1_ps(0.70710678118654752f);
    while (len >= 8) {
        long q = len / 8;
        for (long p = 0; p < q; p++) {
            const float *w = t + 14 * p;
            for (long qq = 0; qq < s; qq++) {
                __m512 ar[8], ai[8];
                for (int k = 0; k < 8; k++) {
                    const float *a = src + 32 * (qq + s * (p + k * q));
                    ar[k] = _mm512_load_ps(a); ai[k] = _mm512_load_ps(a + 16);
                }
                // b_j = a_j + a_{j+4}, b_{j+4} = a_j - a_{j+4}
                __m512 b0r = _mm512_add_ps(ar[0], ar[4]), b0i = _mm512_add_ps(ai[0], ai[4]);
                __m512 b1r = _mm512_add_ps(ar[1], ar[5]), b1i = _mm512_add_ps(ai[1], ai[5]);
                __m512 b2r = _mm512_add_ps(ar[2], ar[6]), b2i = _mm512_add_ps(ai[2], ai[6]);
                __m512 b3r = _mm512_add_ps(ar[3], ar[7]), b3i = _mm512_add_ps(ai[3], ai[7]);
                __m512 b4r = _mm512_sub_ps(ar[0], ar[4]), b4i = _mm512_sub_ps(ai[0], ai[4]);
                __m512 b5r = _mm512_sub_ps(ar[1], ar[5]), b5i = _mm512_sub_ps(ai[1], ai[5]);
                __m512 b6r = _mm512_sub_ps(ar[2], ar[6]), b6i = _mm512_sub_ps(ai[2], ai[6]);
                __m512 b7r = _mm512_sub_ps(ar[3], ar[7]), b7i = _mm512_sub_ps(ai[3], ai[7]);
                // Odd half: d5 = b5 W8, d6 = b6 (-i), d7 = b7 W8^3, W8 = (1 - i) / sqrt 2.
                __m512 d5r = _mm512_mul_ps(r2, _mm512_add_ps(b5r, b5i)), d5i = _mm512_mul_ps(r2, _mm512_sub_ps(b5i, b5r));
                __m512 d6r = b6i, d6i = _mm512_sub_ps(_mm512_setzero_ps(), b6r);
                __m512 d7r = _mm512_mul_ps(r2, _mm512_sub_ps(b7i, b7r));
                __m512 d7i = _mm512_mul_ps(r2, _mm512_sub_ps(_mm512_sub_ps(_mm512_setzero_ps(), b7r), b7i));
                // Even outputs: DFT4(b0, b1, b2, b3) -> X0, X2, X4, X6.
                __m512 c0r = _mm512_add_ps(b0r, b2r), c0i = _mm512_add_ps(b0i, b2i);
                __m512 c2r = _mm512_sub_ps(b0r, b2r), c2i = _mm512_sub_ps(b0i, b2i);
                __m512 c1r = _mm512_add_ps(b1r, b3r), c1i = _mm512_add_ps(b1i, b3i);
                __m512 c3r = _mm512_sub_ps(b1r, b3r), c3i = _mm512_sub_ps(b1i, b3i);
                // Odd outputs: DFT4(b4, d5, d6, d7) -> X1, X3, X5, X7.
                __m512 e0r = _mm512_add_ps(b4r, d6r), e0i = _mm512_add_ps(b4i, d6i);
                __m512 e2r = _mm512_sub_ps(b4r, d6r), e2i = _mm512_sub_ps(b4i, d6i);
                __m512 e1r = _mm512_add_ps(d5r, d7r), e1i = _mm512_add_ps(d5i, d7i);
                __m512 e3r = _mm512_sub_ps(d5r, d7r), e3i = _mm512_sub_ps(d5i, d7i);
                __m512 xr[8], xi[8];
                xr[0] = _mm512_add_ps(c0r, c1r); xi[0] = _mm512_add_ps(c0i, c1i);
                xr[4] = _mm512_sub_ps(c0r, c1r); xi[4] = _mm512_sub_ps(c0i, c1i);
                xr[2] = _mm512_add_ps(c2r, c3i); xi[2] = _mm512_sub_ps(c2i, c3r);  // c2 - i c3
                xr[6] = _mm512_sub_ps(c2r, c3i); xi[6] = _mm512_add_ps(c2i, c3r);  // c2 + i c3
                xr[1] = _mm512_add_ps(e0r, e1r); xi[1] = _mm512_add_ps(e0i, e1i);
                xr[5] = _mm512_sub_ps(e0r, e1r); xi[5] = _mm512_sub_ps(e0i, e1i);
                xr[3] = _mm512_add_ps(e2r, e3i); xi[3] = _mm512_sub_ps(e2i, e3r);  // e2 - i e3
                xr[7] = _mm512_sub_ps(e2r, e3i); xi[7] = _mm512_add_ps(e2i, e3r);  // e2 + i e3
                float *o = dst + 32 * (qq + s * 8 * p);
                _mm512_store_ps(o, xr[0]);
                _mm512_store_ps(o + 16, xi[0]);
                for (int k = 1; k < 8; k++) {  // y[q + s (8p + k)] = X_k w^(k p)
                    __m512 wr = _mm512_set1_ps(w[2 * (k - 1)]), wi = _mm512_set1_ps(w[2 * (k - 1) + 1]);
                    float *ok = o + 32 * s * k;
                    _mm512_store_ps(ok, _mm512_fmsub_ps(xr[k], wr, _mm512_mul_ps(xi[k], wi)));
                    _mm512_store_ps(ok + 16, _mm512_fmadd_ps(xr[k], wi, _mm512_mul_ps(xi[k], wr)));
                }
            }
        }
        t += 14 * q; len = q; s *= 8;
        float *tmp = src; src = dst; dst = tmp;
    }
    if (len == 4) {
        long q = len / 4;
        for (long p = 0; p < q; p++) {
            __m512 w1r = _mm512_set1_ps(t[6 * p]), w1i = _mm512_set1_ps(t[6 * p + 1]);
            __m512 w2r = _mm512_set1_ps(t[6 * p + 2]), w2i = _mm512_set1_ps(t[6 * p + 3]);
            __m512 w3r = _mm512_set1_ps(t[6 * p + 4]), w3i = _mm512_set1_ps(t[6 * p + 5]);
            for (long qq = 0; qq < s; qq++) {
                const float *a = src + 32 * (qq + s * p), *b = src + 32 * (qq + s * (p + q));
                const float *c = src + 32 * (qq + s * (p + 2 * q)), *d = src + 32 * (qq + s * (p + 3 * q));
                __m512 ar = _mm512_load_ps(a), ai = _mm512_load_ps(a + 16);
                __m512 br = _mm512_load_ps(b), bi = _mm512_load_ps(b + 16);
                __m512 cr = _mm512_load_ps(c), ci = _mm512_load_ps(c + 16);
                __m512 dr = _mm512_load_ps(d), di = _mm512_load_ps(d + 16);
                __m512 apcr = _mm512_add_ps(ar, cr), apci = _mm512_add_ps(ai, ci);
                __m512 amcr = _mm512_sub_ps(ar, cr), amci = _mm512_sub_ps(ai, ci);
                __m512 bpdr = _mm512_add_ps(br, dr), bpdi = _mm512_add_ps(bi, di);
                // j (b - d) = (-(bi - di), br - dr)
                __m512 jr = _mm512_sub_ps(di, bi), ji = _mm512_sub_ps(br, dr);
                float *o = dst + 32 * (qq + s * 4 * p);
                _mm512_store_ps(o, _mm512_add_ps(apcr, bpdr));
                _mm512_store_ps(o + 16, _mm512_add_ps(apci, bpdi));
                __m512 u1r = _mm512_sub_ps(amcr, jr), u1i = _mm512_sub_ps(amci, ji);
                __m512 u2r = _mm512_sub_ps(apcr, bpdr), u2i = _mm512_sub_ps(apci, bpdi);
                __m512 u3r = _mm512_add_ps(amcr, jr), u3i = _mm512_add_ps(amci, ji);
                o += 32 * s;
                _mm512_store_ps(o, _mm512_fmsub_ps(u1r, w1r, _mm512_mul_ps(u1i, w1i)));
                _mm512_store_ps(o + 16, _mm512_fmadd_ps(u1r, w1i, _mm512_mul_ps(u1i, w1r)));
                o += 32 * s;
                _mm512_store_ps(o, _mm512_fmsub_ps(u2r, w2r, _mm512_mul_ps(u2i, w2i)));
                _mm512_store_ps(o + 16, _mm512_fmadd_ps(u2r, w2i, _mm512_mul_ps(u2i, w2r)));
                o += 32 * s;
                _mm512_store_ps(o, _mm512_fmsub_ps(u3r, w3r, _mm512_mul_ps(u3i, w3i)));
                _mm512_store_ps(o + 16, _mm512_fmadd_ps(u3r, w3i, _mm512_mul_ps(u3i, w3r)));
            }
        }
        t += 6 * q; len = q; s *= 4;
        float *tmp = src; src = dst; dst = tmp;
    }
    if (len == 2) {  // last radix-2 stage
        for (long qq = 0; qq < s; qq++) {
            const float *a = src + 32 * qq, *b = src + 32 * (qq + s);
            __m512 ar = _mm512_load_ps(a), ai = _mm512_load_ps(a + 16);
            __m512 br = _mm512_load_ps(b), bi = _mm512_load_ps(b + 16);
            _mm512_store_ps(dst + 32 * qq, _mm512_add_ps(ar, br));
            _mm512_store_ps(dst + 32 * qq + 16, _mm512_add_ps(ai, bi));
            _mm512_store_ps(dst + 32 * (qq + s), _mm512_sub_ps(ar, br));
            _mm512_store_ps(dst + 32 * (qq + s) + 16, _mm512_sub_ps(ai, bi));
        }
        float *tmp = src; src = dst; dst = tmp;
    }
    // Z = src. Real split: X[k] = (Z[k] + conj Z[m-k]) / 2 - i/2 W^k (Z[k] - conj Z[m-k]).
    const float *Z = src;
    __m512 half = _mm512_set1_ps(0.5f);
    {   // k = 0 and k = m: X[0] = Zr + Zi, X[m] = Zr - Zi (real)
        __m512 zr = _mm512_load_ps(Z), zi = _mm512_load_ps(Z + 16);
        __m512 x0 = _mm512_add_ps(zr, zi), xm = _mm512_sub_ps(zr, zi);
        _mm512_store_ps(power, _mm512_mul_ps(x0, x0));
        _mm512_store_ps(power + 16 * m, _mm512_mul_ps(xm, xm));
    }
    for (long k = 1; k < m; k++) {
        const float *zk = Z + 32 * k, *zc = Z + 32 * (m - k);
        __m512 ar = _mm512_load_ps(zk), ai = _mm512_load_ps(zk + 16);
        __m512 br = _mm512_load_ps(zc), bi = _mm512_load_ps(zc + 16);  // conj: (br, -bi)
        __m512 er = _mm512_mul_ps(half, _mm512_add_ps(ar, br)), ei = _mm512_mul_ps(half, _mm512_sub_ps(ai, bi));
        __m512 dr = _mm512_mul_ps(half, _mm512_sub_ps(ar, br)), di = _mm512_mul_ps(half, _mm512_add_ps(ai, bi));
        // o = -i W d = -i (wr dr - wi di + i (wr di + wi dr)) = (wr di + wi dr) - i (wr dr - wi di)
        __m512 wr = _mm512_set1_ps(f->split[2 * k]), wi = _mm512_set1_ps(f->split[2 * k + 1]);
        __m512 orr = _mm512_fmadd_ps(wr, di, _mm512_mul_ps(wi, dr));
        __m512 oi = _mm512_fmsub_ps(wi, di, _mm512_mul_ps(wr, dr));
        __m512 xr = _mm512_add_ps(er, orr), xi = _mm512_add_ps(ei, oi);
        _mm512_store_ps(power + 16 * k, _mm512_fmadd_ps(xr, xr, _mm512_mul_ps(xi, xi)));
    }
}

void melcnn_mel16(const float *power, long nMels, const long *starts, const long *lengths,
                  const long *offsets, const float *weights, float *out, long outStride, int count) {
    for (long m0 = 0; m0 < nMels; m0 += 16) {
        __m512 r[16];
        long bands = nMels - m0 < 16 ? nMels - m0 : 16;
        for (long b = 0; b < 16; b++) {
            __m512 acc0 = _mm512_setzero_ps(), acc1 = acc0;
            if (b < bands) {
                long m = m0 + b, n = lengths[m], i = 0;
                const float *w = weights + offsets[m], *p = power + 16 * starts[m];
                for (; i + 2 <= n; i += 2) {
                    acc0 = _mm512_fmadd_ps(_mm512_set1_ps(w[i]), _mm512_load_ps(p + 16 * i), acc0);
                    acc1 = _mm512_fmadd_ps(_mm512_set1_ps(w[i + 1]), _mm512_load_ps(p + 16 * i + 16), acc1);
                }
                if (i < n) acc0 = _mm512_fmadd_ps(_mm512_set1_ps(w[i]), _mm512_load_ps(p + 16 * i), acc0);
            }
            r[b] = _mm512_add_ps(acc0, acc1);
        }
        transpose16(r);  // r[l] = bands m0 ... m0+15 of frame l
        __mmask16 mask = laneMask(bands);
        for (int l = 0; l < count; l++) _mm512_mask_storeu_ps(out + l * outStride + m0, mask, r[l]);
    }
}

#pragma clang attribute pop

int melcnn_stft_available(void) {
    static int available = -1;  // threads racing on the first call store the same value
    int known = __atomic_load_n(&available, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        known = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
            && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        __atomic_store_n(&available, known, __ATOMIC_RELAXED);
    }
    return known;
}
