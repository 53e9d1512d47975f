#ifndef MELCNN_CFFTW3_SHIM_H
#define MELCNN_CFFTW3_SHIM_H
// Single-precision FFTW (fftwf_*). Plan creation is not thread-safe: callers guard it.
#include <fftw3.h>
static inline unsigned melcnn_fftw_estimate(void) { return FFTW_ESTIMATE; }
static inline unsigned melcnn_fftw_measure(void) { return FFTW_MEASURE; }
static inline unsigned melcnn_fftw_preserve_input(void) { return FFTW_PRESERVE_INPUT; }
static inline unsigned melcnn_fftw_destroy_input(void) { return FFTW_DESTROY_INPUT; }
#endif
