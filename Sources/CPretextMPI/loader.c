// See include/CPretextMPI.h.
#define _GNU_SOURCE
#include "CPretextMPI.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Open MPI's ABI: handles are pointers to its predefined objects; MPI_IN_PLACE is (void *)1
// and MPI_THREAD_FUNNELED is 1 (mpi.h of Open MPI 4.x and 5.x).
typedef void *mpi_handle;
#define OMPI_IN_PLACE ((void *)1)
#define OMPI_THREAD_FUNNELED 1
#define OMPI_MAX_LIBRARY_VERSION_STRING 256

typedef int (*init_thread_fn)(int *, char ***, int, int *);
typedef int (*flag_fn)(int *);
typedef int (*comm_int_fn)(mpi_handle, int *);
typedef int (*allreduce_fn)(const void *, void *, int, mpi_handle, mpi_handle, mpi_handle);
typedef int (*allgatherv_fn)(const void *, int, mpi_handle, void *, const int *, const int *, mpi_handle, mpi_handle);
typedef int (*bcast_fn)(void *, int, mpi_handle, int, mpi_handle);
typedef int (*barrier_fn)(mpi_handle);
typedef int (*finalize_fn)(void);
typedef int (*abort_fn)(mpi_handle, int);
typedef int (*version_fn)(char *, int *);

static struct {
    init_thread_fn init_thread;
    flag_fn initialized, finalized;
    comm_int_fn comm_rank, comm_size;
    allreduce_fn allreduce;
    allgatherv_fn allgatherv;
    bcast_fn bcast;
    barrier_fn barrier;
    finalize_fn finalize;
    abort_fn abort;
    version_fn version;
    mpi_handle world, type_float, type_double, type_byte, op_sum;
} mpi;

static int started = 0;
static char error_text[512] = "MPI was not started";
static char library_text[OMPI_MAX_LIBRARY_VERSION_STRING] = "";

const char *pretext_mpi_error(void) { return error_text; }
const char *pretext_mpi_library(void) { return library_text; }

static void finish(void) {
    int done = 0;
    if (mpi.finalized && mpi.finalized(&done) == 0 && !done) mpi.finalize();
}

static void *find(void *library, const char *name, int *missing) {
    void *symbol = dlsym(library, name);
    if (!symbol && !*missing) {
        snprintf(error_text, sizeof error_text, "libmpi.so.40 has no symbol %s: not an Open MPI 4 or 5 library", name);
        *missing = 1;
    }
    return symbol;
}

int pretext_mpi_start(int *rank, int *size) {
    if (started) {
        *rank = 0; *size = 1;
        if (mpi.comm_rank(mpi.world, rank) || mpi.comm_size(mpi.world, size)) return -1;
        return 0;
    }
    // RTLD_GLOBAL: Open MPI's own components (dlopened plugins) resolve libmpi's symbols.
    void *library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        snprintf(error_text, sizeof error_text, "cannot load Open MPI (libmpi.so.40: %s); install it with "
                 "`apt-get install -y openmpi-bin libopenmpi-dev`", dlerror());
        return -1;
    }
    int missing = 0;
    mpi.init_thread = (init_thread_fn)find(library, "MPI_Init_thread", &missing);
    mpi.initialized = (flag_fn)find(library, "MPI_Initialized", &missing);
    mpi.finalized = (flag_fn)find(library, "MPI_Finalized", &missing);
    mpi.comm_rank = (comm_int_fn)find(library, "MPI_Comm_rank", &missing);
    mpi.comm_size = (comm_int_fn)find(library, "MPI_Comm_size", &missing);
    mpi.allreduce = (allreduce_fn)find(library, "MPI_Allreduce", &missing);
    mpi.allgatherv = (allgatherv_fn)find(library, "MPI_Allgatherv", &missing);
    mpi.bcast = (bcast_fn)find(library, "MPI_Bcast", &missing);
    mpi.barrier = (barrier_fn)find(library, "MPI_Barrier", &missing);
    mpi.finalize = (finalize_fn)find(library, "MPI_Finalize", &missing);
    mpi.abort = (abort_fn)find(library, "MPI_Abort", &missing);
    mpi.version = (version_fn)find(library, "MPI_Get_library_version", &missing);
    mpi.world = find(library, "ompi_mpi_comm_world", &missing);
    mpi.type_float = find(library, "ompi_mpi_float", &missing);
    mpi.type_double = find(library, "ompi_mpi_double", &missing);
    mpi.type_byte = find(library, "ompi_mpi_byte", &missing);
    mpi.op_sum = find(library, "ompi_mpi_op_sum", &missing);
    if (missing) return -1;
    int already = 0, provided = 0;
    mpi.initialized(&already);
    if (!already && mpi.init_thread(NULL, NULL, OMPI_THREAD_FUNNELED, &provided) != 0) {
        snprintf(error_text, sizeof error_text, "MPI_Init_thread failed");
        return -1;
    }
    if (!already) atexit(finish);
    int length = 0;
    if (mpi.version(library_text, &length) != 0) library_text[0] = 0;
    char *newline = strchr(library_text, '\n');
    if (newline) *newline = 0;
    if (mpi.comm_rank(mpi.world, rank) || mpi.comm_size(mpi.world, size)) {
        snprintf(error_text, sizeof error_text, "MPI_Comm_rank/MPI_Comm_size failed");
        return -1;
    }
    started = 1;
    return 0;
}

static const long chunk_limit = 1L << 30;

int pretext_mpi_allreduce_float(float *values, long count) {
    for (long start = 0; start < count; start += chunk_limit) {
        int length = (int)(count - start < chunk_limit ? count - start : chunk_limit);
        if (mpi.allreduce(OMPI_IN_PLACE, values + start, length, mpi.type_float, mpi.op_sum, mpi.world)) return -1;
    }
    return 0;
}

int pretext_mpi_allreduce_double(double *values, long count) {
    for (long start = 0; start < count; start += chunk_limit) {
        int length = (int)(count - start < chunk_limit ? count - start : chunk_limit);
        if (mpi.allreduce(OMPI_IN_PLACE, values + start, length, mpi.type_double, mpi.op_sum, mpi.world)) return -1;
    }
    return 0;
}

int pretext_mpi_allgatherv_float(const float *send, int send_count, float *receive, const int *counts,
                                 const int *displacements) {
    return mpi.allgatherv(send, send_count, mpi.type_float, receive, counts, displacements, mpi.type_float, mpi.world) ? -1 : 0;
}

int pretext_mpi_allgatherv_bytes(const void *send, int send_count, void *receive, const int *counts, const int *displacements) {
    return mpi.allgatherv(send, send_count, mpi.type_byte, receive, counts, displacements, mpi.type_byte, mpi.world) ? -1 : 0;
}

int pretext_mpi_broadcast(void *buffer, long count, int root) {
    for (long start = 0; start < count; start += chunk_limit) {
        int length = (int)(count - start < chunk_limit ? count - start : chunk_limit);
        if (mpi.bcast((char *)buffer + start, length, mpi.type_byte, root, mpi.world)) return -1;
    }
    return 0;
}

int pretext_mpi_barrier(void) { return mpi.barrier(mpi.world) ? -1 : 0; }

void pretext_mpi_abort(int code) {
    if (started) mpi.abort(mpi.world, code);
    exit(code);
}
