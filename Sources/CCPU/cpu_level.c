// Run-time CPU dispatch shared by melcnn's C kernels (CSGEMM, CSTFT, CPlaneDeflate).
#include "ccpu.h"

#include <stdlib.h>
#include <string.h>

int melcnn_isa_parse(const char *name) {
    if (name == NULL) return -1;
    if (strcmp(name, "generic") == 0) return MELCNN_ISA_GENERIC;
    if (strcmp(name, "avx2") == 0) return MELCNN_ISA_AVX2;
    if (strcmp(name, "avx512") == 0) return MELCNN_ISA_AVX512;
    return -1;
}

const char *melcnn_isa_route_name(const char *avx512, const char *avx2, const char *generic) {
    int level = melcnn_isa_level();
    return level >= MELCNN_ISA_AVX512 ? avx512 : level >= MELCNN_ISA_AVX2 ? avx2 : generic;
}

const char *melcnn_isa_name(int level) {
    switch (level) {
    case MELCNN_ISA_GENERIC: return "generic";
    case MELCNN_ISA_AVX2: return "avx2";
    case MELCNN_ISA_AVX512: return "avx512";
    default: return "unknown";
    }
}

int melcnn_isa_detected(void) {
#if defined(__x86_64__) || defined(_M_X64)
    static int detected = -1;  // threads racing on the first call store the same value
    int known = __atomic_load_n(&detected, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
        int avx512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl")
            && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq");
        known = avx512 ? MELCNN_ISA_AVX512 : avx2 ? MELCNN_ISA_AVX2 : MELCNN_ISA_GENERIC;
        __atomic_store_n(&detected, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return MELCNN_ISA_GENERIC;
#endif
}

static int level = -1;  // cached cap: -1 until first asked

void melcnn_isa_override(int cap) {
    int known = melcnn_isa_detected();
    int requested = melcnn_isa_parse(getenv("MELCNN_CPU"));
    if (requested >= 0 && requested < known) known = requested;
    if (cap >= 0 && cap < known) known = cap;
    __atomic_store_n(&level, known, __ATOMIC_RELAXED);
}

int melcnn_isa_level(void) {
    int known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    if (known < 0) {
        melcnn_isa_override(-1);
        known = __atomic_load_n(&level, __ATOMIC_RELAXED);
    }
    return known;
}
