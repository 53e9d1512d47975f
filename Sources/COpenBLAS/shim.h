#ifndef MELCNN_COPENBLAS_SHIM_H
#define MELCNN_COPENBLAS_SHIM_H
// OpenBLAS's CBLAS interface plus its thread-count controls.
#include <cblas.h>
#endif
