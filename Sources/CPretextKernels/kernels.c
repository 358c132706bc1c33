// See include/CPretextKernels.h.
#include "CPretextKernels.h"

#include <math.h>
#include <stdatomic.h>

#include "CPretextParallel.h"

// Separate multiplies and adds everywhere, as in the Swift reference (no fused multiply-add).
#pragma STDC FP_CONTRACT OFF

static void adam_scalar(float *theta, const float *gradient, float *m, float *v, size_t start, size_t n,
                        float scale, float l2, float beta1, float beta2, float step_size,
                        float inverse_root_correction2, float epsilon, float decay_factor) {
    for (size_t i = start; i < n; i++) {
        float g = gradient[i] * scale;
        g = g + l2 * theta[i];
        float m_new = beta1 * m[i];
        m_new = m_new + (1 - beta1) * g;
        float v_new = beta2 * v[i];
        float gg = (1 - beta2) * g;
        gg = gg * g;
        v_new = v_new + gg;
        m[i] = m_new;
        v[i] = v_new;
        float denominator = sqrtf(v_new) * inverse_root_correction2;
        denominator = denominator + epsilon;
        float step = step_size * m_new;
        step = step / denominator;
        float kept = theta[i] * decay_factor;
        theta[i] = kept - step;
    }
}

#if defined(__x86_64__)
#include <immintrin.h>

__attribute__((target("avx")))
static size_t adam_avx(float *theta, const float *gradient, float *m, float *v, size_t n,
                       float scale, float l2, float beta1, float beta2, float step_size,
                       float inverse_root_correction2, float epsilon, float decay_factor) {
    const __m256 s = _mm256_set1_ps(scale), l = _mm256_set1_ps(l2), b1 = _mm256_set1_ps(beta1), b2 = _mm256_set1_ps(beta2);
    const __m256 one_b1 = _mm256_set1_ps(1 - beta1), one_b2 = _mm256_set1_ps(1 - beta2), lr = _mm256_set1_ps(step_size);
    const __m256 irc = _mm256_set1_ps(inverse_root_correction2), eps = _mm256_set1_ps(epsilon), decay = _mm256_set1_ps(decay_factor);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        __m256 t = _mm256_loadu_ps(theta + i);
        __m256 g = _mm256_add_ps(_mm256_mul_ps(_mm256_loadu_ps(gradient + i), s), _mm256_mul_ps(l, t));
        __m256 m_new = _mm256_add_ps(_mm256_mul_ps(b1, _mm256_loadu_ps(m + i)), _mm256_mul_ps(one_b1, g));
        __m256 v_new = _mm256_add_ps(_mm256_mul_ps(b2, _mm256_loadu_ps(v + i)), _mm256_mul_ps(_mm256_mul_ps(one_b2, g), g));
        _mm256_storeu_ps(m + i, m_new);
        _mm256_storeu_ps(v + i, v_new);
        __m256 denominator = _mm256_add_ps(_mm256_mul_ps(_mm256_sqrt_ps(v_new), irc), eps);
        __m256 step = _mm256_div_ps(_mm256_mul_ps(lr, m_new), denominator);
        _mm256_storeu_ps(theta + i, _mm256_sub_ps(_mm256_mul_ps(t, decay), step));
    }
    return i;
}

// The vector extensions the kernels use, read once (CPUID through the compiler's runtime,
// which also checks that the OS saves the registers).
typedef struct { int avx, avx2, avx512f; } vector_features;

static vector_features cpu_vector_features(void) {
    static vector_features features;
    static _Atomic int known = 0;   // racing first calls all store the same values
    if (!atomic_load_explicit(&known, memory_order_acquire)) {
        __builtin_cpu_init();
        features.avx = __builtin_cpu_supports("avx") ? 1 : 0;
        features.avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
        features.avx512f = __builtin_cpu_supports("avx512f") ? 1 : 0;
        atomic_store_explicit(&known, 1, memory_order_release);
    }
    return features;
}
#endif

int pretext_kernels_use_avx(void) {
#if defined(__x86_64__)
    return cpu_vector_features().avx;
#else
    return 0;
#endif
}

static void adam_range(float *theta, const float *gradient, float *m, float *v, size_t n,
                       float scale, float l2, float beta1, float beta2, float step_size,
                       float inverse_root_correction2, float epsilon, float decay_factor) {
    size_t done = 0;
#if defined(__x86_64__)
    if (cpu_vector_features().avx) {
        done = adam_avx(theta, gradient, m, v, n, scale, l2, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay_factor);
    }
#endif
    adam_scalar(theta, gradient, m, v, done, n, scale, l2, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay_factor);
}

typedef struct {
    float *theta, *m, *v;
    const float *gradient;
    size_t n, chunk;
    float scale, l2, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay_factor;
} adam_job;

static void adam_chunk(void *context, long index) {
    const adam_job *j = context;
    size_t start = (size_t)index * j->chunk;
    size_t length = start + j->chunk > j->n ? j->n - start : j->chunk;
    adam_range(j->theta + start, j->gradient + start, j->m + start, j->v + start, length, j->scale, j->l2, j->beta1,
               j->beta2, j->step_size, j->inverse_root_correction2, j->epsilon, j->decay_factor);
}

// Blocks of the update hold at least this many parameters (fewer: fewer blocks, or the caller alone).
#define ADAM_MIN_CHUNK 16384

void pretext_adam_update(float *theta, const float *gradient, float *m, float *v, size_t n,
                         float scale, float l2, float beta1, float beta2, float step_size,
                         float inverse_root_correction2, float epsilon, float decay_factor) {
    size_t lanes = (size_t)pretext_parallel_lanes(), blocks = lanes * PRETEXT_BLOCKS_PER_LANE;
    size_t chunk = (n + blocks - 1) / blocks;
    if (chunk < ADAM_MIN_CHUNK) chunk = ADAM_MIN_CHUNK;
    chunk = (chunk + 7) / 8 * 8;
    if (lanes == 1 || chunk >= n) {
        adam_range(theta, gradient, m, v, n, scale, l2, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay_factor);
        return;
    }
    adam_job job = {theta, m, v, gradient, n, chunk, scale, l2, beta1, beta2, step_size, inverse_root_correction2,
                    epsilon, decay_factor};
    pretext_parallel_for((long)((n + chunk - 1) / chunk), adam_chunk, &job);
}

// ---- Softmax rows ---------------------------------------------------------------------

// The end of every variant: exponentials of the elements from `start` on (scalar expf),
// then out_j · (1/Σ) for every j; returns the log-partition log Σ + m.
static double finish_softmax_row(const float *x, float *out, long start, long n, float a, float m, double sum) {
    for (long i = start; i < n; i++) {
        out[i] = expf(x[i] * a - m);
        sum += out[i];
    }
    const float inverse = (float)(1 / sum);
    for (long i = 0; i < n; i++) out[i] *= inverse;
    return log(sum) + m;
}

static float scaled_maximum(const float *x, long start, long n, float a, float m) {
    for (long i = start; i < n; i++) m = fmaxf(m, x[i] * a);
    return m;
}

// Vector expf from glibc's libmvec (x86-64 vector function ABI: 16 lanes with AVX-512,
// 8 with AVX2), within 4 ulp like its scalar expf.
#if defined(__x86_64__)
__attribute__((target("avx512f"))) __m512 _ZGVeN16v_expf(__m512);
__attribute__((target("avx2"))) __m256 _ZGVdN8v_expf(__m256);

__attribute__((target("avx512f")))
static double softmax_row_avx512(const float *x, float *out, long n, float a) {
    const __m512 scale = _mm512_set1_ps(a);
    __m512 largest = _mm512_set1_ps(-INFINITY);
    long whole = n / 16 * 16;
    for (long i = 0; i < whole; i += 16) largest = _mm512_max_ps(largest, _mm512_mul_ps(_mm512_loadu_ps(x + i), scale));
    float m = scaled_maximum(x, whole, n, a, _mm512_reduce_max_ps(largest));
    const __m512 shift = _mm512_set1_ps(m);
    __m512d sum_low = _mm512_setzero_pd(), sum_high = _mm512_setzero_pd();
    for (long i = 0; i < whole; i += 16) {
        __m512 e = _ZGVeN16v_expf(_mm512_sub_ps(_mm512_mul_ps(_mm512_loadu_ps(x + i), scale), shift));
        _mm512_storeu_ps(out + i, e);
        sum_low = _mm512_add_pd(sum_low, _mm512_cvtps_pd(_mm512_castps512_ps256(e)));
        sum_high = _mm512_add_pd(sum_high, _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(e), 1))));
    }
    return finish_softmax_row(x, out, whole, n, a, m, _mm512_reduce_add_pd(_mm512_add_pd(sum_low, sum_high)));
}

__attribute__((target("avx2")))
static double softmax_row_avx2(const float *x, float *out, long n, float a) {
    float m = scaled_maximum(x, 0, n, a, -INFINITY);
    const __m256 scale = _mm256_set1_ps(a), shift = _mm256_set1_ps(m);
    __m256d sums = _mm256_setzero_pd();
    long whole = n / 8 * 8;
    for (long i = 0; i < whole; i += 8) {
        __m256 e = _ZGVdN8v_expf(_mm256_sub_ps(_mm256_mul_ps(_mm256_loadu_ps(x + i), scale), shift));
        _mm256_storeu_ps(out + i, e);
        sums = _mm256_add_pd(sums, _mm256_add_pd(_mm256_cvtps_pd(_mm256_castps256_ps128(e)), _mm256_cvtps_pd(_mm256_extractf128_ps(e, 1))));
    }
    double lanes[4];
    _mm256_storeu_pd(lanes, sums);
    return finish_softmax_row(x, out, whole, n, a, m, (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]));
}
#endif

static double softmax_row_scalar(const float *x, float *out, long n, float a) {
    return finish_softmax_row(x, out, 0, n, a, scaled_maximum(x, 0, n, a, -INFINITY), 0);
}

double pretext_softmax_row_variant(int variant, const float *x, float *out, long n, float a) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) return softmax_row_avx512(x, out, n, a);
    if (variant >= 1 && cpu_vector_features().avx2) return softmax_row_avx2(x, out, n, a);
#endif
    return softmax_row_scalar(x, out, n, a);
}

double pretext_softmax_row(const float *x, float *out, long n, float a) {
    return pretext_softmax_row_variant(2, x, out, n, a);
}

// ---- Column sums and ReLU -------------------------------------------------------------

void pretext_add_column_sums(const float *restrict x, long rows, long stride, float *restrict sums, long columns) {
    // 16 columns at a time in registers, rows in order: per column the same additions,
    // in the same order, as adding each row into `sums` in turn.
    long column = 0;
    for (; column + 16 <= columns; column += 16) {
        float total[16];
        for (int j = 0; j < 16; j++) total[j] = sums[column + j];
        for (long row = 0; row < rows; row++) {
            const float *source = x + row * stride + column;
            for (int j = 0; j < 16; j++) total[j] += source[j];
        }
        for (int j = 0; j < 16; j++) sums[column + j] = total[j];
    }
    for (; column < columns; column++) {
        float total = sums[column];
        for (long row = 0; row < rows; row++) total += x[row * stride + column];
        sums[column] = total;
    }
}

// The element-wise passes of Linear + ReLU: exact operations (one addition, one compare),
// so the AVX-512 build and the baseline give the same bits; the wider build moves the
// 16 floats of a cache line per instruction.
static inline __attribute__((always_inline)) void relu_body(const float *x, float *y, long count) {
    for (long index = 0; index < count; index++) {
        float value = x[index];
        y[index] = 0 >= value ? 0 : value;   // Swift's max(x, 0)
    }
}

static inline __attribute__((always_inline)) void add_bias_body(float *y, const float *restrict bias, long rows, long columns,
                                                                int relu) {
    for (long row = 0; row < rows; row++) {
        float *restrict out = y + row * columns;
        if (relu) {
            for (long column = 0; column < columns; column++) {
                float value = out[column] + bias[column];
                out[column] = 0 >= value ? 0 : value;   // Swift's max(x, 0)
            }
        } else {
            for (long column = 0; column < columns; column++) out[column] += bias[column];
        }
    }
}

static inline __attribute__((always_inline)) void relu_mask_body(const float *restrict y, const float *gradient, float *out,
                                                                 long count) {
    for (long index = 0; index < count; index++) {
        float g = gradient[index];   // loaded unconditionally, so the loop vectorises (no branch per element)
        out[index] = y[index] > 0 ? g : 0;
    }
}

#if defined(__x86_64__)
__attribute__((target("avx512f"))) static void relu_avx512(const float *x, float *y, long count) { relu_body(x, y, count); }
__attribute__((target("avx512f")))
static void add_bias_avx512(float *y, const float *bias, long rows, long columns, int relu) {
    add_bias_body(y, bias, rows, columns, relu);
}
__attribute__((target("avx512f")))
static void relu_mask_avx512(const float *y, const float *gradient, float *out, long count) {
    relu_mask_body(y, gradient, out, count);
}
#endif

void pretext_relu_variant(int variant, const float *x, float *y, long count) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) { relu_avx512(x, y, count); return; }
#endif
    relu_body(x, y, count);
}

void pretext_relu(const float *x, float *y, long count) { pretext_relu_variant(2, x, y, count); }

void pretext_add_bias_variant(int variant, float *y, const float *bias, long rows, long columns, int relu) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) { add_bias_avx512(y, bias, rows, columns, relu); return; }
#endif
    add_bias_body(y, bias, rows, columns, relu);
}

void pretext_add_bias(float *y, const float *bias, long rows, long columns, int relu) {
    pretext_add_bias_variant(2, y, bias, rows, columns, relu);
}

void pretext_relu_mask_variant(int variant, const float *y, const float *gradient, float *out, long count) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) { relu_mask_avx512(y, gradient, out, count); return; }
#endif
    relu_mask_body(y, gradient, out, count);
}

void pretext_relu_mask(const float *y, const float *gradient, float *out, long count) {
    pretext_relu_mask_variant(2, y, gradient, out, count);
}

// ---- Row normalisation (InfoNCE) ------------------------------------------------------

// Σ_i (double)(a_i·b_i), the products in float, summed in eight double lanes (lane i mod 8,
// then the lanes in order from 0, then the tail in order).
static inline __attribute__((always_inline)) double lane_dot(const float *a, const float *b, long n) {
    double lanes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    long whole = n / 8 * 8, i = 0;
    for (; i < whole; i += 8)
        for (int j = 0; j < 8; j++) lanes[j] += (double)(a[i + j] * b[i + j]);
    double total = 0;
    for (int j = 0; j < 8; j++) total += lanes[j];
    for (; i < n; i++) total += (double)(a[i] * b[i]);
    return total;
}

static inline __attribute__((always_inline)) void normalize_rows_body(const float *restrict x, float *restrict out,
                                                                       float *restrict norms, long rows, long columns) {
    for (long r = 0; r < rows; r++) {
        const float *row = x + r * columns;
        double length = sqrt(lane_dot(row, row, columns));
        float norm = (float)(1e-12 >= length ? 1e-12 : length);   // max(length, 1e-12)
        norms[r] = norm;
        for (long c = 0; c < columns; c++) out[r * columns + c] = row[c] / norm;
    }
}

static inline __attribute__((always_inline)) void normalization_backward_body(const float *restrict dy, const float *restrict y,
                                                                               const float *restrict norms, float *restrict out,
                                                                               long rows, long columns) {
    for (long r = 0; r < rows; r++) {
        const float *g = dy + r * columns, *n = y + r * columns;
        float dot = (float)lane_dot(g, n, columns);
        for (long c = 0; c < columns; c++) {
            float projected = n[c] * dot;
            out[r * columns + c] = (g[c] - projected) / norms[r];
        }
    }
}

// The same C compiled for AVX-512 (16-wide divisions) and for the baseline; no
// reassociation and no contraction, so both give the same bits.
#if defined(__x86_64__)
__attribute__((target("avx512f")))
static void normalize_rows_avx512(const float *x, float *out, float *norms, long rows, long columns) {
    normalize_rows_body(x, out, norms, rows, columns);
}
__attribute__((target("avx512f")))
static void normalization_backward_avx512(const float *dy, const float *y, const float *norms, float *out, long rows, long columns) {
    normalization_backward_body(dy, y, norms, out, rows, columns);
}
#endif

void pretext_normalize_rows_variant(int variant, const float *x, float *out, float *norms, long rows, long columns) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) { normalize_rows_avx512(x, out, norms, rows, columns); return; }
#endif
    normalize_rows_body(x, out, norms, rows, columns);
}

void pretext_normalize_rows(const float *x, float *out, float *norms, long rows, long columns) {
    pretext_normalize_rows_variant(2, x, out, norms, rows, columns);
}

void pretext_normalization_backward_variant(int variant, const float *dy, const float *y, const float *norms, float *out, long rows,
                                            long columns) {
#if defined(__x86_64__)
    if (variant >= 2 && cpu_vector_features().avx512f) { normalization_backward_avx512(dy, y, norms, out, rows, columns); return; }
#endif
    normalization_backward_body(dy, y, norms, out, rows, columns);
}

void pretext_normalization_backward(const float *dy, const float *y, const float *norms, float *out, long rows, long columns) {
    pretext_normalization_backward_variant(2, dy, y, norms, out, rows, columns);
}

void pretext_scale(float *x, long count, float factor) {
    for (long index = 0; index < count; index++) x[index] *= factor;
}
