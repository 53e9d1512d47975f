// The body of melcnn_band_extremes16 for any vector width (band_extremes16.c describes the
// method): the file that includes it defines VF, LANES, VMIN, VMAX, VLOADU, VSTOREU, VSET1,
// VIF_ORDERED(v, fill) (v where it is not NaN, else fill) and BAND_EXTREMES (the name).
// Lanes l0 ..< l0 + LANES of the block; `scratch` holds 2 q LANES floats.
static void BAND_EXTREMES(const float *power, long lo, long hi, long q, int l0, double *lowSums, double *highSums,
                          float *scratch) {
    float *lows = scratch, *highs = scratch + LANES * q;
    const VF inf = VSET1(INFINITY), ninf = VSET1(-INFINITY);
    for (long j = 0; j < q; j++) { VSTOREU(lows + LANES * j, inf); VSTOREU(highs + LANES * j, ninf); }
    for (long k = lo; k < hi; k++) {
        VF v = VLOADU(power + 16 * k + l0);
        VF vl = VIF_ORDERED(v, inf), vh = VIF_ORDERED(v, ninf);
        for (long j = 0; j < q; j++) {  // insert into both sorted lists, branch-free
            VF a = VLOADU(lows + LANES * j), b = VLOADU(highs + LANES * j);
            VSTOREU(lows + LANES * j, VMIN(a, vl));
            VSTOREU(highs + LANES * j, VMAX(b, vh));
            vl = VMAX(a, vl);
            vh = VMIN(b, vh);
        }
    }
    for (int l = 0; l < LANES; l++)
        melcnnBandLaneSums(lows + l, highs + l, q, LANES, lowSums + l0 + l, highSums + l0 + l);
}
