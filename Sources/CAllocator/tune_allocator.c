// melcnn_tune_allocator (callocator.h): <malloc.h>'s mallopt, which Swift's Glibc module does
// not import.
#include "callocator.h"

#include <stdlib.h>  // defines __GLIBC__ on glibc

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int melcnn_tune_allocator(int mmapThreshold, int trimThreshold) {
#if defined(__GLIBC__)
    return mallopt(M_MMAP_THRESHOLD, mmapThreshold) == 1 && mallopt(M_TRIM_THRESHOLD, trimThreshold) == 1;
#else
    (void)mmapThreshold;
    (void)trimThreshold;
    return -1;
#endif
}
