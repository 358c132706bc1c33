// Loads OpenBLAS (Debian: libopenblas-dev) at run time, after choosing its kernels, and
// oneDNN (libdnnl-dev) for the products on CPUs with AVX2 and FMA.
//
// OpenBLAS 0.3.21 picks its kernels when it is loaded, from OPENBLAS_CORETYPE or its own
// CPU table, which does not know recent CPUs and falls back to its slowest (Prescott)
// kernels. Loading it here, after setting OPENBLAS_CORETYPE from the CPU's actual
// vector features, gives every user of Pretext (CLI or library) the fast kernels.
//
// oneDNN's sgemm generates its kernels for the CPU it finds (never an instruction set
// the CPU lacks; DNNL_MAX_CPU_ISA caps it) and runs the small products of a training
// step (e.g. 128 × 256 × 256) 1.2–1.8× faster than OpenBLAS on one core here
// (docs/perf-log.md). It is used when it loads and the CPU has AVX2 + FMA; PRETEXT_GEMM=
// openblas or =onednn overrides that. Each call runs single-threaded (its OpenMP thread
// count is set to 1 around the call); the compute lanes split products as before.
#ifndef CPRETEXT_BLAS_H
#define CPRETEXT_BLAS_H

#ifdef __cplusplus
extern "C" {
#endif

enum pretext_blas_transpose { PRETEXT_NO_TRANS = 111, PRETEXT_TRANS = 112 };

/// What the CPU and operating system support (CPUID + XGETBV).
typedef struct {
    int sse3, avx, avx2, fma, avx512f, avx512cd, avx512bw, avx512dq, avx512vl;
} pretext_cpu_features;

pretext_cpu_features pretext_cpu_detect(void);

/// The OPENBLAS_CORETYPE the features allow: "SkylakeX" (AVX-512 F/CD/BW/DQ/VL with
/// OS-enabled ZMM state), "Haswell" (AVX2 + FMA), "Sandybridge" (AVX), or NULL.
const char *pretext_cpu_openblas_coretype(pretext_cpu_features features);

/// Loads OpenBLAS once (if OPENBLAS_CORETYPE is unset, sets it from the CPU first), then
/// oneDNN as described above.
/// Returns 0 on success, -1 when the library cannot be loaded (see pretext_blas_error).
int pretext_blas_load(void);
const char *pretext_blas_error(void);
/// Whether Pretext set OPENBLAS_CORETYPE (1), found it set by the user (0).
int pretext_blas_coretype_was_chosen(void);

/// Row-major C = alpha * op(A) op(B) + beta * C (with beta = 0, C is only written). The
/// library in charge (oneDNN or OpenBLAS) runs single-threaded; a product of at least
/// 2^19 multiply-adds is split into blocks of C's rows (or columns) run on the compute
/// lanes (CPretextParallel), each block a whole single-threaded call. A library may pick
/// a different kernel for a block than for the whole, so the last bits can depend on the
/// lane count and on the library — never on timing.
void pretext_sgemm(enum pretext_blas_transpose trans_a, enum pretext_blas_transpose trans_b,
                   int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc);
/// The compute lanes' count (products and element-wise kernels); OpenBLAS itself stays at 1.
/// How pretext_sgemm splits an m × n × k product: the number of blocks (1: whole), and
/// whether they are blocks of C's rows (*split_rows = 1) or columns. Each block is
/// pretext_block_range(extent, parts, part) of m or n.
int pretext_sgemm_plan(int m, int n, int k, int *split_rows);
/// One single-threaded call, never split (a block of a planned product).
void pretext_sgemm_unsplit(enum pretext_blas_transpose trans_a, enum pretext_blas_transpose trans_b,
                           int m, int n, int k, float alpha, const float *a, int lda,
                           const float *b, int ldb, float beta, float *c, int ldc);
void pretext_blas_set_threads(int threads);
int pretext_blas_get_threads(void);
/// The kernel family OpenBLAS runs ("SkylakeX", "Prescott", …).
const char *pretext_blas_corename(void);
const char *pretext_blas_config(void);
/// The library that runs the products: "oneDNN x.y.z" or "OpenBLAS".
const char *pretext_blas_product_library(void);

/// Eigen-decomposition of the symmetric n × n matrix `a` (LAPACK dsyevd from OpenBLAS):
/// on return `w` holds the eigenvalues in ascending order and `a` the eigenvectors in
/// column-major order (column j: the eigenvector of w[j]). Returns 0, LAPACK's info on
/// failure, or -1000 when OpenBLAS or its dsyevd cannot be loaded.
int pretext_dsyevd(int n, double *a, double *w);

#ifdef __cplusplus
}
#endif
#endif
