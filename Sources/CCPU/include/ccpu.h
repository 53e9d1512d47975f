#ifndef MELCNN_CCPU_H
#define MELCNN_CCPU_H

/// The instruction-set levels melcnn's C kernels have routes for, lowest first. Every C
/// kernel asks `melcnn_isa_level()` and takes the best route at or below it, so one
/// environment variable forces every portable route at once.
enum {
    /// Portable code only: OpenBLAS for SGEMM, FFTW for spectra, plain C / Swift loops.
    MELCNN_ISA_GENERIC = 0,
    /// x86-64 with AVX2 and FMA (Intel Haswell and later, AMD Zen).
    MELCNN_ISA_AVX2 = 1,
    /// x86-64 with AVX-512 F, VL, BW and DQ besides AVX2 and FMA (Skylake-X, Ice Lake, Zen 4+).
    MELCNN_ISA_AVX512 = 2,
};

/// The best level this CPU supports, or lower when the environment variable `MELCNN_CPU`
/// names a lower level (`generic`, `avx2`, `avx512`; a higher one than the CPU has is
/// ignored, an unknown value counts as unset). Always `MELCNN_ISA_GENERIC` off x86-64.
/// Read once, then cached; thread-safe.
int melcnn_isa_level(void);

/// The best level this CPU supports, whatever `MELCNN_CPU` says.
int melcnn_isa_detected(void);

/// The level `name` names (`generic`, `avx2`, `avx512`), or -1 when it names none.
int melcnn_isa_parse(const char *name);

/// Caps the level for the rest of the process (tests and benchmarks use it to run each route
/// in turn; kernel objects remember the route they were made for). A negative `level`
/// removes the cap again. Not meant to race with kernels running on other threads.
void melcnn_isa_override(int level);

/// `"generic"`, `"avx2"` or `"avx512"` for a level (`"unknown"` otherwise).
const char *melcnn_isa_name(int level);

/// The name of the route a kernel with AVX-512, AVX2 and portable routes takes at the current
/// level (`melcnn_isa_level()`): `avx512` at AVX-512, `avx2` at AVX2, `generic` otherwise. Each
/// kernel's `melcnn_*_kernel()` report is this call with its own route names.
const char *melcnn_isa_route_name(const char *avx512, const char *avx2, const char *generic);

#endif
