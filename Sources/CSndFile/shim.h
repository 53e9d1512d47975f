#ifndef MELCNN_CSNDFILE_SHIM_H
#define MELCNN_CSNDFILE_SHIM_H
#include <sndfile.h>
#endif
