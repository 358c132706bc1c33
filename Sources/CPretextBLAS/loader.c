// See include/CPretextBLAS.h.
#define _GNU_SOURCE
#include "CPretextBLAS.h"
#include "CPretextParallel.h"

#include <cblas.h>   // OpenBLAS's declarations: the pointer types below are checked against them
#include <oneapi/dnnl/dnnl.h>   // oneDNN's (Debian: libdnnl-dev), checked the same way
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

typedef __typeof__(&cblas_sgemm) sgemm_fn;
typedef __typeof__(&openblas_set_num_threads) set_threads_fn;
typedef __typeof__(&openblas_get_num_threads) get_threads_fn;
typedef __typeof__(&openblas_get_corename) string_fn;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status = -1;
static int coretype_chosen = 0;
static char load_error[512] = "OpenBLAS was not loaded";
static sgemm_fn sgemm_ptr;
static set_threads_fn set_threads_ptr;
static get_threads_fn get_threads_ptr;
static string_fn corename_ptr;
static string_fn config_ptr;
// LAPACK's dsyevd (OpenBLAS carries LAPACK): Fortran ABI, with the hidden lengths of the
// two character arguments passed explicitly.
typedef void (*dsyevd_fn)(const char *jobz, const char *uplo, const int *n, double *a, const int *lda, double *w,
                          double *work, const int *lwork, int *iwork, const int *liwork, int *info, size_t, size_t);
static dsyevd_fn dsyevd_ptr;

typedef __typeof__(&dnnl_sgemm) dnnl_sgemm_fn;
typedef __typeof__(&dnnl_version) dnnl_version_fn;
typedef void (*omp_set_threads_fn)(int);
typedef int (*omp_get_threads_fn)(void);
static dnnl_sgemm_fn dnnl_sgemm_ptr;        // NULL: products run on OpenBLAS
static omp_set_threads_fn omp_set_threads_ptr;
static omp_get_threads_fn omp_get_threads_ptr;
static char product_library[128] = "OpenBLAS";

pretext_cpu_features pretext_cpu_detect(void) {
    pretext_cpu_features f = {0};
#if defined(__x86_64__) || defined(__i386__)
    unsigned int eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return f;
    f.sse3 = (ecx >> 0) & 1;
    f.fma = (ecx >> 12) & 1;
    int osxsave = (ecx >> 27) & 1;
    int avx_cpu = (ecx >> 28) & 1;
    unsigned long long xcr0 = 0;
    if (osxsave) {
        unsigned int lo, hi;
        __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
        xcr0 = ((unsigned long long)hi << 32) | lo;
    }
    int ymm_enabled = (xcr0 & 0x6) == 0x6;            // SSE and AVX state
    int zmm_enabled = ymm_enabled && (xcr0 & 0xe0) == 0xe0;  // opmask, ZMM_Hi256, Hi16_ZMM
    f.avx = avx_cpu && ymm_enabled;
    if (!f.avx) f.fma = 0;
    if (__get_cpuid_max(0, 0) >= 7) {
        __cpuid_count(7, 0, eax, ebx, ecx, edx);
        f.avx2 = f.avx && ((ebx >> 5) & 1);
        if (zmm_enabled) {
            f.avx512f = (ebx >> 16) & 1;
            f.avx512dq = (ebx >> 17) & 1;
            f.avx512cd = (ebx >> 28) & 1;
            f.avx512bw = (ebx >> 30) & 1;
            f.avx512vl = (ebx >> 31) & 1;
        }
    }
#endif
    return f;
}

const char *pretext_cpu_openblas_coretype(pretext_cpu_features f) {
    if (f.avx512f && f.avx512cd && f.avx512bw && f.avx512dq && f.avx512vl && f.avx2 && f.fma) return "SkylakeX";
    if (f.avx2 && f.fma) return "Haswell";
    if (f.avx) return "Sandybridge";
    return NULL;
}

static void *symbol(void *handle, const char *name) {
    void *found = dlsym(handle, name);
    if (!found) {
        strncpy(load_error, "OpenBLAS lacks the symbol ", sizeof load_error - 1);
        strncat(load_error, name, sizeof load_error - strlen(load_error) - 1);
    }
    return found;
}

// oneDNN's sgemm for the products on x86-64 CPUs with AVX2 and FMA (oneDNN generates its
// kernels for the CPU it finds, up to AVX-512; elsewhere it falls back to slower generic
// code, so OpenBLAS stays in charge). PRETEXT_GEMM=openblas or =onednn overrides the
// choice; a missing libdnnl leaves OpenBLAS in charge unless =onednn asked for it, which
// is then a load error, as is any other value.
static void load_onednn(void) {
    const char *choice = getenv("PRETEXT_GEMM");
    if (choice && choice[0] != '\0' && strcmp(choice, "openblas") != 0 && strcmp(choice, "onednn") != 0) {
        load_status = -1;
        snprintf(load_error, sizeof load_error, "PRETEXT_GEMM is \"%s\"; expected openblas or onednn (or unset: automatic)", choice);
        return;
    }
    if (choice && strcmp(choice, "openblas") == 0) return;
    int required = choice && strcmp(choice, "onednn") == 0;
    pretext_cpu_features features = pretext_cpu_detect();
    if (!required && !(features.avx2 && features.fma)) return;
    const char *names[] = {"libdnnl.so.3", "libdnnl.so.2", "libdnnl.so"};
    void *handle = NULL;
    for (unsigned i = 0; i < sizeof names / sizeof names[0] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    dnnl_sgemm_fn sgemm = handle ? (dnnl_sgemm_fn)dlsym(handle, "dnnl_sgemm") : NULL;
    dnnl_version_fn version = handle ? (dnnl_version_fn)dlsym(handle, "dnnl_version") : NULL;
    omp_set_threads_fn set = handle ? (omp_set_threads_fn)dlsym(handle, "omp_set_num_threads") : NULL;
    omp_get_threads_fn get = handle ? (omp_get_threads_fn)dlsym(handle, "omp_get_max_threads") : NULL;
    if (!sgemm || !version || !set || !get) {
        if (required) {
            load_status = -1;
            strncpy(load_error, "PRETEXT_GEMM=onednn but oneDNN could not be loaded (install it with: apt-get install libdnnl-dev)",
                    sizeof load_error - 1);
        }
        return;
    }
    omp_set_threads_ptr = set;
    omp_get_threads_ptr = get;
    dnnl_sgemm_ptr = sgemm;
    const dnnl_version_t *v = version();
    snprintf(product_library, sizeof product_library, "oneDNN %d.%d.%d", v->major, v->minor, v->patch);
}

static void load(void) {
    const char *user = getenv("OPENBLAS_CORETYPE");
    if (user == NULL || user[0] == '\0') {
        const char *chosen = pretext_cpu_openblas_coretype(pretext_cpu_detect());
        if (chosen) {
            setenv("OPENBLAS_CORETYPE", chosen, 1);
            coretype_chosen = 1;
        }
    }
    const char *names[] = {"libopenblas.so.0", "libopenblas.so", "libopenblas.dylib"};
    void *handle = NULL;
    for (unsigned i = 0; i < sizeof names / sizeof names[0] && !handle; i++) handle = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
        const char *message = dlerror();
        strncpy(load_error, message ? message : "dlopen failed", sizeof load_error - 1);
        strncat(load_error, " (install it with: apt-get install libopenblas-dev)", sizeof load_error - strlen(load_error) - 1);
        return;
    }
    sgemm_ptr = (sgemm_fn)symbol(handle, "cblas_sgemm");
    set_threads_ptr = (set_threads_fn)symbol(handle, "openblas_set_num_threads");
    get_threads_ptr = (get_threads_fn)symbol(handle, "openblas_get_num_threads");
    corename_ptr = (string_fn)symbol(handle, "openblas_get_corename");
    config_ptr = (string_fn)symbol(handle, "openblas_get_config");
    dsyevd_ptr = (dsyevd_fn)dlsym(handle, "dsyevd_");   // optional: pretext_dsyevd reports its absence
    if (sgemm_ptr && set_threads_ptr && get_threads_ptr && corename_ptr && config_ptr) {
        // OpenBLAS's default thread count (the cores, or OPENBLAS_NUM_THREADS) becomes
        // the lanes' count unless set already; OpenBLAS itself runs single-threaded
        // inside each lane (see pretext_sgemm).
        if (!pretext_parallel_lanes_configured()) pretext_parallel_set_lanes(get_threads_ptr());
        set_threads_ptr(1);
        load_status = 0;
        load_onednn();
    }
}

int pretext_blas_load(void) {
    pthread_once(&load_once, load);
    return load_status;
}

const char *pretext_blas_error(void) { return load_error; }
int pretext_blas_coretype_was_chosen(void) { return coretype_chosen; }

// One single-threaded product on the library in charge. oneDNN (built with OpenMP)
// would start a team of OpenMP threads inside each lane; the calling thread's OpenMP
// thread count is set to 1 around the call and restored.
static void product(CBLAS_TRANSPOSE trans_a, CBLAS_TRANSPOSE trans_b, int m, int n, int k, float alpha, const float *a,
                    int lda, const float *b, int ldb, float beta, float *c, int ldc) {
    if (dnnl_sgemm_ptr && m > 0 && n > 0 && k > 0) {
        int saved = omp_get_threads_ptr();
        if (saved != 1) omp_set_threads_ptr(1);
        dnnl_status_t status = dnnl_sgemm_ptr(trans_a == CblasTrans ? 'T' : 'N', trans_b == CblasTrans ? 'T' : 'N', m, n, k,
                                              alpha, a, lda, b, ldb, beta, c, ldc);
        if (saved != 1) omp_set_threads_ptr(saved);
        if (status == dnnl_success) return;
    }
    sgemm_ptr(CblasRowMajor, trans_a, trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

// One lane's share of a split product.
typedef struct {
    CBLAS_TRANSPOSE trans_a, trans_b;
    int m, n, k, lda, ldb, ldc, parts, split_rows;
    float alpha, beta;
    const float *a, *b;
    float *c;
} split_product;

static void run_part(void *context, long part) {
    const split_product *p = context;
    long start, length;
    if (p->split_rows) {
        pretext_block_range(p->m, p->parts, part, &start, &length);
        if (length <= 0) return;
        const float *a = p->trans_a == CblasTrans ? p->a + start : p->a + (long)start * p->lda;
        product(p->trans_a, p->trans_b, (int)length, p->n, p->k, p->alpha, a, p->lda, p->b, p->ldb, p->beta,
                p->c + (long)start * p->ldc, p->ldc);
    } else {
        pretext_block_range(p->n, p->parts, part, &start, &length);
        if (length <= 0) return;
        const float *b = p->trans_b == CblasTrans ? p->b + (long)start * p->ldb : p->b + start;
        product(p->trans_a, p->trans_b, p->m, (int)length, p->k, p->alpha, p->a, p->lda, b, p->ldb, p->beta, p->c + start,
                p->ldc);
    }
}

// Products below this many multiply-adds (~5 µs on one core) run whole on the caller.
#define PRETEXT_SPLIT_MIN_WORK (1L << 19)

int pretext_sgemm_plan(int m, int n, int k, int *split_rows) {
    int lanes = pretext_parallel_lanes();
    *split_rows = 1;
    if (lanes <= 1 || (long)m * n * k < PRETEXT_SPLIT_MIN_WORK) return 1;
    // Split C's rows when there are enough 16-row tiles, else its columns (16-wide
    // tiles: OpenBLAS's SkylakeX and Haswell micro-kernels are 16 rows or columns).
    int row_tiles = m / 16, column_tiles = n / 16;
    *split_rows = row_tiles >= lanes || row_tiles >= column_tiles;
    int tiles = *split_rows ? row_tiles : column_tiles;
    int blocks = lanes * PRETEXT_BLOCKS_PER_LANE;
    return tiles < 1 ? 1 : (tiles < blocks ? tiles : blocks);
}

void pretext_sgemm_unsplit(enum pretext_blas_transpose trans_a, enum pretext_blas_transpose trans_b,
                           int m, int n, int k, float alpha, const float *a, int lda,
                           const float *b, int ldb, float beta, float *c, int ldc) {
    product(trans_a == PRETEXT_TRANS ? CblasTrans : CblasNoTrans, trans_b == PRETEXT_TRANS ? CblasTrans : CblasNoTrans, m, n,
            k, alpha, a, lda, b, ldb, beta, c, ldc);
}

void pretext_sgemm(enum pretext_blas_transpose trans_a, enum pretext_blas_transpose trans_b,
                   int m, int n, int k, float alpha, const float *a, int lda,
                   const float *b, int ldb, float beta, float *c, int ldc) {
    split_product p = {trans_a == PRETEXT_TRANS ? CblasTrans : CblasNoTrans, trans_b == PRETEXT_TRANS ? CblasTrans : CblasNoTrans,
                       m, n, k, lda, ldb, ldc, 1, 1, alpha, beta, a, b, c};
    p.parts = pretext_sgemm_plan(m, n, k, &p.split_rows);
    if (p.parts <= 1) {
        product(p.trans_a, p.trans_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        return;
    }
    pretext_parallel_for(p.parts, run_part, &p);
}

void pretext_blas_set_threads(int threads) { pretext_parallel_set_lanes(threads); }
int pretext_blas_get_threads(void) { return pretext_parallel_lanes(); }
const char *pretext_blas_corename(void) { return corename_ptr(); }
const char *pretext_blas_config(void) { return config_ptr(); }
const char *pretext_blas_product_library(void) { return product_library; }

int pretext_dsyevd(int n, double *a, double *w) {
    if (pretext_blas_load() != 0 || !dsyevd_ptr) return -1000;
    if (n <= 0) return 0;
    int lwork = -1, liwork = -1, info = 0, iwork_size = 0;
    double work_size = 0;
    dsyevd_ptr("V", "U", &n, a, &n, w, &work_size, &lwork, &iwork_size, &liwork, &info, 1, 1);
    if (info != 0) return info;
    lwork = (int)work_size + 1;
    liwork = iwork_size;
    double *work = malloc(sizeof(double) * (size_t)lwork);
    int *iwork = malloc(sizeof(int) * (size_t)(liwork > 0 ? liwork : 1));
    if (!work || !iwork) {
        free(work);
        free(iwork);
        return -1001;
    }
    // LAPACK may start threads of its own: OpenBLAS runs single-threaded here (see load).
    dsyevd_ptr("V", "U", &n, a, &n, w, work, &lwork, iwork, &liwork, &info, 1, 1);
    free(work);
    free(iwork);
    return info;
}
