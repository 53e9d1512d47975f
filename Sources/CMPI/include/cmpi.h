#ifndef MELCNN_CMPI_H
#define MELCNN_CMPI_H

#include <stddef.h>

/// Open MPI, loaded at run time: melcnn never links against MPI, so a build and a run without
/// Open MPI installed work (single process). `melcnn_mpi_load` dlopen()s libmpi.so.40 (Open MPI
/// 4 and 5; `MELCNN_MPI_LIBRARY` names another file) with RTLD_GLOBAL (Open MPI's plugins
/// resolve symbols of libmpi) and looks up the few functions melcnn calls and Open MPI's
/// predefined handles, which are global symbols (`ompi_mpi_comm_world`, `ompi_mpi_float`, ...):
/// `MPI_COMM_WORLD` is `&ompi_mpi_comm_world` in Open MPI's mpi.h. Other MPI libraries (MPICH)
/// define handles as integers and are not supported.
///
/// Every function returns 0 on success; on failure it writes one line into `error` (size
/// `error_size`) and returns nonzero. Not thread-safe: the main thread makes every MPI call
/// (MPI_THREAD_FUNNELED).

/// Loads the library and resolves the symbols (idempotent).
int melcnn_mpi_load(char *error, size_t error_size);

/// MPI_Init_thread(FUNNELED), then the rank and size of MPI_COMM_WORLD.
int melcnn_mpi_init(int *rank, int *size, char *error, size_t error_size);

/// In-place MPI_Allreduce(MPI_SUM) over MPI_COMM_WORLD of `count` floats / doubles.
int melcnn_mpi_allreduce_sum_float(float *values, int count, char *error, size_t error_size);
int melcnn_mpi_allreduce_sum_double(double *values, int count, char *error, size_t error_size);

/// An MPI_Request (a pointer to `ompi_request_t` in Open MPI).
typedef void *melcnn_mpi_request;

/// Nonblocking in-place MPI_Iallreduce(MPI_SUM) of `count` floats; `*request` completes it.
/// `values` must stay untouched until MPI_Testall / MPI_Waitall reports the request done.
int melcnn_mpi_iallreduce_sum_float(float *values, int count, melcnn_mpi_request *request, char *error, size_t error_size);

/// MPI_Testall over `count` requests: `*done` = 1 when all completed (they are then freed),
/// else 0. Each call also advances Open MPI's progress engine.
int melcnn_mpi_testall(int count, melcnn_mpi_request *requests, int *done, char *error, size_t error_size);

/// MPI_Waitall over `count` requests.
int melcnn_mpi_waitall(int count, melcnn_mpi_request *requests, char *error, size_t error_size);

/// MPI_Barrier over MPI_COMM_WORLD.
int melcnn_mpi_barrier(char *error, size_t error_size);

/// MPI_Finalize (when initialised and not yet finalised).
int melcnn_mpi_finalize(char *error, size_t error_size);

/// The collective watchdog: a thread that, while a collective is open (`begin` without its
/// `end`) for more than `timeout_seconds`, writes `melcnn: error: <message of begin>` plus the
/// timeout to stderr and ends this process with exit status 1 (`_exit`), so that mpirun ends
/// the job instead of every rank waiting for ever on a rank that died or hangs.
/// `melcnn_mpi_watchdog_start` starts the thread (idempotent); timeout <= 0 disables it.
int melcnn_mpi_watchdog_start(double timeout_seconds);
void melcnn_mpi_watchdog_begin(const char *what);
void melcnn_mpi_watchdog_end(void);

#endif
