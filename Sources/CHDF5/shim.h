#ifndef MELCNN_CHDF5_SHIM_H
#define MELCNN_CHDF5_SHIM_H
// HDF5's H5T_NATIVE_*, H5F_ACC_*, H5P_* and H5T_VARIABLE are macros that do not
// import into Swift 6; they are exposed here as static inline functions.
#include <hdf5.h>
// zlib, the library of HDF5's deflate filter: melcnn compresses chunks itself (in
// parallel) and writes them with H5Dwrite_chunk, so it calls compress2 directly.
#include <zlib.h>

/// One-shot deflate of `src` into `dst` (zlib format, as HDF5's deflate filter writes and
/// reads) at `level` with zlib strategy `strategy` (Z_DEFAULT_STRATEGY, Z_RLE, ...);
/// `*dst_len` is the capacity in and the compressed size out. Returns a zlib status.
/// deflateInit2 is a macro, so it is wrapped here.
static inline int melcnn_deflate(unsigned char *dst, unsigned long *dst_len, const unsigned char *src,
                                 unsigned long src_len, int level, int strategy) {
    z_stream z = {0};
    int status = deflateInit2(&z, level, Z_DEFLATED, 15, 8, strategy);
    if (status != Z_OK) return status;
    z.next_in = (Bytef *)src;
    z.avail_in = (uInt)src_len;
    z.next_out = dst;
    z.avail_out = (uInt)*dst_len;
    status = deflate(&z, Z_FINISH);
    *dst_len = z.total_out;
    deflateEnd(&z);
    return status == Z_STREAM_END ? Z_OK : (status == Z_OK ? Z_BUF_ERROR : status);
}

static inline hid_t melcnn_h5t_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t melcnn_h5t_native_double(void) { return H5T_NATIVE_DOUBLE; }
static inline hid_t melcnn_h5t_native_int32(void) { return H5T_NATIVE_INT32; }
static inline hid_t melcnn_h5t_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t melcnn_h5t_native_uint8(void) { return H5T_NATIVE_UINT8; }
static inline hid_t melcnn_h5t_native_int8(void) { return H5T_NATIVE_INT8; }
static inline hid_t melcnn_h5t_native_uint16(void) { return H5T_NATIVE_UINT16; }
static inline hid_t melcnn_h5t_native_int16(void) { return H5T_NATIVE_INT16; }
static inline hid_t melcnn_h5t_native_uint32(void) { return H5T_NATIVE_UINT32; }
static inline hid_t melcnn_h5t_native_uint64(void) { return H5T_NATIVE_UINT64; }
static inline hid_t melcnn_h5t_c_s1(void) { return H5T_C_S1; }
static inline size_t melcnn_h5t_variable(void) { return H5T_VARIABLE; }

static inline unsigned melcnn_h5f_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline unsigned melcnn_h5f_acc_rdwr(void) { return H5F_ACC_RDWR; }
static inline unsigned melcnn_h5f_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned melcnn_h5f_acc_excl(void) { return H5F_ACC_EXCL; }

static inline hid_t melcnn_h5p_default(void) { return H5P_DEFAULT; }
static inline hid_t melcnn_h5p_dataset_create(void) { return H5P_DATASET_CREATE; }
static inline hid_t melcnn_h5p_dataset_access(void) { return H5P_DATASET_ACCESS; }
static inline hid_t melcnn_h5p_link_create(void) { return H5P_LINK_CREATE; }
static inline hid_t melcnn_h5p_file_access(void) { return H5P_FILE_ACCESS; }
static inline hid_t melcnn_h5s_all(void) { return H5S_ALL; }
static inline hsize_t melcnn_h5s_unlimited(void) { return H5S_UNLIMITED; }
static inline hid_t melcnn_h5e_default(void) { return H5E_DEFAULT; }

/// The POSIX file descriptor under an open file when it uses the default sec2 driver, else -1
/// (H5FD_SEC2 is a macro). The descriptor stays owned by libhdf5.
static inline int melcnn_h5f_sec2_descriptor(hid_t file) {
    hid_t fapl = H5Fget_access_plist(file);
    if (fapl < 0) return -1;
    hid_t driver = H5Pget_driver(fapl);
    H5Pclose(fapl);
    if (driver != H5FD_SEC2) return -1;
    void *handle = NULL;
    if (H5Fget_vfd_handle(file, H5P_DEFAULT, &handle) < 0 || handle == NULL) return -1;
    return *(int *)handle;
}

/// Sets the file-format bounds of a file-access property list to the 1.10 format
/// (H5F_LIBVER_V110 = H5F_LIBVER_LATEST in 1.10) at both ends: superblock v3, v2 object
/// headers, new-style groups and the fixed/extensible-array chunk indexes, all of which
/// carry metadata checksums (a flipped metadata bit is a checksum error). Readable by
/// HDF5 >= 1.10 (h5py >= 2.8). H5F_LIBVER_LATEST is a macro alias, so it is wrapped here.
static inline herr_t melcnn_h5p_set_libver_checksummed(hid_t fapl) {
    return H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
}

/// Switches off HDF5's automatic printing of its error stack.
static inline void melcnn_h5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
#endif
