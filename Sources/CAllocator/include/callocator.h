#ifndef MELCNN_CALLOCATOR_H
#define MELCNN_CALLOCATOR_H

/// glibc's `mallopt(M_MMAP_THRESHOLD, mmapThreshold)` and `mallopt(M_TRIM_THRESHOLD,
/// trimThreshold)` (bytes; ToolSupport's `AllocatorTuning`). Returns 1 when both were set, 0
/// when glibc refused one, -1 off glibc (nothing done).
int melcnn_tune_allocator(int mmapThreshold, int trimThreshold);

#endif
