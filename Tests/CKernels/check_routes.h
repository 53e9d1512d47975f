// Shared by the C kernel checks (scripts/check-c-kernels.sh): failure counting and a loop over
// every CPU route (CCPU level) this machine has, each forced in turn with melcnn_isa_override.
#ifndef MELCNN_CHECK_ROUTES_H
#define MELCNN_CHECK_ROUTES_H

#include <stdint.h>
#include <stdio.h>

#include "ccpu.h"

static long checkFailures = 0, checkCount = 0;

// Counts a check; prints the first few failures with the printf-style message.
#define CHECK(cond, ...) do { \
    checkCount++; \
    if (!(cond)) { \
        if (++checkFailures <= 20) { printf("  FAIL %s:%d: ", __FILE__, __LINE__); printf(__VA_ARGS__); printf("\n"); } \
    } \
} while (0)

// Calls body(level) for each level from generic up to the best this CPU (and MELCNN_CPU)
// allows, with the level capped to it; the cap is removed afterwards.
static void forEachRoute(const char *what, void (*body)(int level)) {
    melcnn_isa_override(-1);
    int best = melcnn_isa_level();
    for (int level = MELCNN_ISA_GENERIC; level <= best; level++) {
        melcnn_isa_override(level);
        long before = checkFailures, count = checkCount;
        body(level);
        printf("%s, route %s: %ld checks, %s\n", what, melcnn_isa_name(level), checkCount - count,
               checkFailures == before ? "ok" : "FAILED");
    }
    melcnn_isa_override(-1);
}

// Deterministic pseudo-random numbers (64-bit LCG, top bits).
static uint64_t checkSeed = 12345;
static uint32_t nextRandom(void) {
    checkSeed = checkSeed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(checkSeed >> 32);
}

// Prints the summary; the process's exit status.
static int finishChecks(const char *what) {
    printf("%s: %ld checks, %ld failed\n", what, checkCount, checkFailures);
    return checkFailures == 0 ? 0 : 1;
}

#endif
