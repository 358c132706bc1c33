// Open MPI, loaded at run time (Debian: openmpi-bin, libopenmpi3 — libmpi.so.40) so that
// Pretext builds and runs single-process on machines without MPI: nothing here is
// linked, and nothing is loaded unless the process was started by `mpirun`.
//
// Only the collectives data-parallel training needs are exposed, on MPI_COMM_WORLD,
// called from one thread (MPI_THREAD_FUNNELED). Open MPI's predefined handles
// (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, …) are the addresses of its global objects
// (`ompi_mpi_comm_world`, …), found with dlsym; MPICH-family libraries use integer
// handles and are not supported.
#ifndef CPRETEXT_MPI_H
#define CPRETEXT_MPI_H

#ifdef __cplusplus
extern "C" {
#endif

/// Loads libmpi and calls MPI_Init_thread once; sets the world rank and size.
/// Returns 0 on success, -1 on failure (see pretext_mpi_error). Registers
/// MPI_Finalize to run at exit.
int pretext_mpi_start(int *rank, int *size);
const char *pretext_mpi_error(void);
/// MPI_Get_library_version's text (after a successful start).
const char *pretext_mpi_library(void);

/// In-place sums over every rank (MPI_Allreduce with MPI_IN_PLACE), in chunks of at
/// most 2^30 elements. Every rank receives the same result.
int pretext_mpi_allreduce_float(float *values, long count);
int pretext_mpi_allreduce_double(double *values, long count);
/// MPI_Allgatherv of floats: rank r sends counts[r] values, placed at displacements[r].
int pretext_mpi_allgatherv_float(const float *send, int send_count, float *receive, const int *counts,
                                 const int *displacements);
/// The same for bytes (MPI_BYTE).
int pretext_mpi_allgatherv_bytes(const void *send, int send_count, void *receive, const int *counts, const int *displacements);
/// MPI_Bcast of bytes from `root`.
int pretext_mpi_broadcast(void *buffer, long count, int root);
int pretext_mpi_barrier(void);
/// MPI_Abort on MPI_COMM_WORLD: ends every rank (a failure on one rank must not leave
/// the others waiting in a collective).
void pretext_mpi_abort(int code);

#ifdef __cplusplus
}
#endif
#endif
