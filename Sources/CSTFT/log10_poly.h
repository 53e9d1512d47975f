// The float part of the Cephes log10f approximation Kernels.log10Normal uses, written once for
// any vector width (the includer defines VF, VFMADD, VFMSUB, VMUL, VSUB, VSET1 and LOG10_POLY,
// the function's name): log10(2^e (1 + f)) for the mantissa 1 + f in [sqrt(1/2), sqrt(2)),
// a degree-9 polynomial for log(1 + f), log10(e) and log10(2) as split constants.
static inline VF LOG10_POLY(VF f, VF e) {
    VF z = VMUL(f, f);
    VF p = VSET1(7.0376836292e-2f);
    p = VFMADD(p, f, VSET1(-1.1514610310e-1f));
    p = VFMADD(p, f, VSET1(1.1676998740e-1f));
    p = VFMADD(p, f, VSET1(-1.2420140846e-1f));
    p = VFMADD(p, f, VSET1(1.4249322787e-1f));
    p = VFMADD(p, f, VSET1(-1.6668057665e-1f));
    p = VFMADD(p, f, VSET1(2.0000714765e-1f));
    p = VFMADD(p, f, VSET1(-2.4999993993e-1f));
    p = VFMADD(p, f, VSET1(3.3333331174e-1f));
    VF y = VFMSUB(VMUL(f, z), p, VMUL(VSET1(0.5f), z));
    VF r = VMUL(y, VSET1(7.00731903251827651129e-4f));
    r = VFMADD(f, VSET1(7.00731903251827651129e-4f), r);
    r = VFMADD(e, VSET1(2.48745663981195213739e-4f), r);
    r = VFMADD(y, VSET1(4.3359375e-1f), r);
    r = VFMADD(f, VSET1(4.3359375e-1f), r);
    r = VFMADD(e, VSET1(3.0078125e-1f), r);
    return r;
}
