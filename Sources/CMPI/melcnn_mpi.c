// Open MPI through dlopen (see cmpi.h): no build-time dependency on MPI.
#define _GNU_SOURCE
#include "cmpi.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

// Open MPI's values (mpi.h): MPI_SUCCESS 0, MPI_THREAD_FUNNELED 1, MPI_IN_PLACE (void *)1.
enum { OMPI_SUCCESS = 0, OMPI_THREAD_FUNNELED = 1 };
#define OMPI_IN_PLACE ((void *)1)

typedef void *handle_t;   // MPI_Comm, MPI_Datatype, MPI_Op: pointers to predefined objects

static struct {
    void *library;
    int (*init_thread)(int *, char ***, int, int *);
    int (*initialized)(int *);
    int (*finalized)(int *);
    int (*comm_rank)(handle_t, int *);
    int (*comm_size)(handle_t, int *);
    int (*allreduce)(const void *, void *, int, handle_t, handle_t, handle_t);
    int (*iallreduce)(const void *, void *, int, handle_t, handle_t, handle_t, melcnn_mpi_request *);
    int (*testall)(int, melcnn_mpi_request *, int *, void *);
    int (*waitall)(int, melcnn_mpi_request *, void *);
    int (*barrier)(handle_t);
    int (*finalize)(void);
    int (*error_string)(int, char *, int *);
    handle_t comm_world, type_float, type_double, op_sum;
} mpi;

static int fail(char *error, size_t size, const char *format, const char *a, const char *b) {
    if (error && size) snprintf(error, size, format, a, b);
    return 1;
}

static int check(int code, const char *call, char *error, size_t size) {
    if (code == OMPI_SUCCESS) return 0;
    char text[512] = "unknown error";
    int length = 0;
    if (mpi.error_string) mpi.error_string(code, text, &length);
    return fail(error, size, "%s failed: %s", call, text);
}

int melcnn_mpi_load(char *error, size_t error_size) {
    if (mpi.library) return 0;
    const char *name = getenv("MELCNN_MPI_LIBRARY");
    if (!name || !*name) name = "libmpi.so.40";
    void *library = dlopen(name, RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *why = dlerror();
        return fail(error, error_size,
                    "cannot load Open MPI (%s): %s; install openmpi-bin and libopenmpi-dev (Debian) or set MELCNN_MPI_LIBRARY",
                    name, why ? why : "not found");
    }
#define RESOLVE(field, symbol)                                                                       \
    do {                                                                                             \
        *(void **)(&mpi.field) = dlsym(library, symbol);                                             \
        if (!mpi.field) {                                                                            \
            dlclose(library);                                                                        \
            memset(&mpi, 0, sizeof mpi);                                                             \
            return fail(error, error_size, "%s has no symbol %s (melcnn needs Open MPI 4 or 5)", name, symbol); \
        }                                                                                            \
    } while (0)
    RESOLVE(init_thread, "MPI_Init_thread");
    RESOLVE(initialized, "MPI_Initialized");
    RESOLVE(finalized, "MPI_Finalized");
    RESOLVE(comm_rank, "MPI_Comm_rank");
    RESOLVE(comm_size, "MPI_Comm_size");
    RESOLVE(allreduce, "MPI_Allreduce");
    RESOLVE(iallreduce, "MPI_Iallreduce");
    RESOLVE(testall, "MPI_Testall");
    RESOLVE(waitall, "MPI_Waitall");
    RESOLVE(barrier, "MPI_Barrier");
    RESOLVE(finalize, "MPI_Finalize");
    RESOLVE(error_string, "MPI_Error_string");
    RESOLVE(comm_world, "ompi_mpi_comm_world");
    RESOLVE(type_float, "ompi_mpi_float");
    RESOLVE(type_double, "ompi_mpi_double");
    RESOLVE(op_sum, "ompi_mpi_op_sum");
#undef RESOLVE
    mpi.library = library;
    return 0;
}

int melcnn_mpi_init(int *rank, int *size, char *error, size_t error_size) {
    if (melcnn_mpi_load(error, error_size)) return 1;
    int done = 0;
    mpi.initialized(&done);
    if (!done) {
        int provided = 0;
        if (check(mpi.init_thread(NULL, NULL, OMPI_THREAD_FUNNELED, &provided), "MPI_Init_thread", error, error_size)) return 1;
        if (provided < OMPI_THREAD_FUNNELED)
            return fail(error, error_size, "MPI_Init_thread: %s%s", "the MPI library does not allow threads (MPI_THREAD_FUNNELED)", "");
    }
    if (check(mpi.comm_rank(mpi.comm_world, rank), "MPI_Comm_rank", error, error_size)) return 1;
    return check(mpi.comm_size(mpi.comm_world, size), "MPI_Comm_size", error, error_size);
}

int melcnn_mpi_allreduce_sum_float(float *values, int count, char *error, size_t error_size) {
    return check(mpi.allreduce(OMPI_IN_PLACE, values, count, mpi.type_float, mpi.op_sum, mpi.comm_world),
                 "MPI_Allreduce", error, error_size);
}

int melcnn_mpi_allreduce_sum_double(double *values, int count, char *error, size_t error_size) {
    return check(mpi.allreduce(OMPI_IN_PLACE, values, count, mpi.type_double, mpi.op_sum, mpi.comm_world),
                 "MPI_Allreduce", error, error_size);
}

int melcnn_mpi_iallreduce_sum_float(float *values, int count, melcnn_mpi_request *request, char *error, size_t error_size) {
    return check(mpi.iallreduce(OMPI_IN_PLACE, values, count, mpi.type_float, mpi.op_sum, mpi.comm_world, request),
                 "MPI_Iallreduce", error, error_size);
}

// MPI_STATUSES_IGNORE is a null pointer in Open MPI's mpi.h.
int melcnn_mpi_testall(int count, melcnn_mpi_request *requests, int *done, char *error, size_t error_size) {
    return check(mpi.testall(count, requests, done, NULL), "MPI_Testall", error, error_size);
}

int melcnn_mpi_waitall(int count, melcnn_mpi_request *requests, char *error, size_t error_size) {
    return check(mpi.waitall(count, requests, NULL), "MPI_Waitall", error, error_size);
}

int melcnn_mpi_barrier(char *error, size_t error_size) {
    return check(mpi.barrier(mpi.comm_world), "MPI_Barrier", error, error_size);
}

int melcnn_mpi_finalize(char *error, size_t error_size) {
    if (!mpi.library) return 0;
    int initialized = 0, finalized = 0;
    mpi.initialized(&initialized);
    mpi.finalized(&finalized);
    if (!initialized || finalized) return 0;
    return check(mpi.finalize(), "MPI_Finalize", error, error_size);
}

// ---- watchdog ----

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int started;
    double timeout;
    int open;
    double deadline;            // CLOCK_MONOTONIC seconds
    char what[256];
} watch = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, ""};

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void *watchdog_main(void *unused) {
    (void)unused;
    pthread_mutex_lock(&watch.lock);
    for (;;) {
        while (!watch.open) pthread_cond_wait(&watch.changed, &watch.lock);
        double left = watch.deadline - now_seconds();
        if (left <= 0) {
            char line[512];
            int n = snprintf(line, sizeof line,
                             "melcnn: error: %s did not complete within %.0f s: another rank died or hangs "
                             "(--mpi-timeout sets the limit)\n", watch.what, watch.timeout);
            if (n > 0) { ssize_t ignored = write(STDERR_FILENO, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1); (void)ignored; }
            _exit(1);   // mpirun sees a rank fail and ends the others
        }
        // Sleep until the deadline or until the collective ends (checked at most every 0.5 s).
        double nap = left < 0.5 ? left : 0.5;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double t = (double)until.tv_sec + 1e-9 * (double)until.tv_nsec + nap;
        until.tv_sec = (time_t)t;
        until.tv_nsec = (long)((t - (double)until.tv_sec) * 1e9);
        pthread_cond_timedwait(&watch.changed, &watch.lock, &until);
    }
    return NULL;
}

int melcnn_mpi_watchdog_start(double timeout_seconds) {
    pthread_mutex_lock(&watch.lock);
    watch.timeout = timeout_seconds;
    int result = 0;
    if (!watch.started && timeout_seconds > 0) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        result = pthread_create(&thread, &attributes, watchdog_main, NULL);
        pthread_attr_destroy(&attributes);
        if (result == 0) watch.started = 1;
    }
    pthread_mutex_unlock(&watch.lock);
    return result;
}

void melcnn_mpi_watchdog_begin(const char *what) {
    pthread_mutex_lock(&watch.lock);
    if (watch.started && watch.timeout > 0) {
        snprintf(watch.what, sizeof watch.what, "%s", what);
        watch.deadline = now_seconds() + watch.timeout;
        watch.open = 1;
        pthread_cond_signal(&watch.changed);
    }
    pthread_mutex_unlock(&watch.lock);
}

void melcnn_mpi_watchdog_end(void) {
    pthread_mutex_lock(&watch.lock);
    watch.open = 0;
    pthread_cond_signal(&watch.changed);
    pthread_mutex_unlock(&watch.lock);
}
