#ifndef MELCNN_CSOXR_SHIM_H
#define MELCNN_CSOXR_SHIM_H
#include <soxr.h>
/// librosa's default `res_type="soxr_hq"`.
static inline unsigned long melcnn_soxr_hq(void) { return SOXR_HQ; }
static inline unsigned long melcnn_soxr_vhq(void) { return SOXR_VHQ; }
static inline unsigned melcnn_soxr_float32_i(void) { return SOXR_FLOAT32_I; }
#endif
