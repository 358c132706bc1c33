// See include/CPretextKernels.h.
#include "CPretextKernels.h"

#include <math.h>

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

static int avx_available(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx") ? 1 : 0;
    }
    return cached;
}
#endif

int pretext_kernels_use_avx(void) {
#if defined(__x86_64__)
    return avx_available();
#else
    return 0;
#endif
}

static void adam_range(float *theta, const float *gradient, float *m, float *v, size_t n,
                       float scale, float l2, float beta1, float beta2, float step_size,
                       float inverse_root_correction2, float epsilon, float decay_factor) {
    size_t done = 0;
#if defined(__x86_64__)
    if (avx_available()) {
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

// Below this many parameters per lane the update runs on the caller alone.
#define ADAM_MIN_CHUNK 16384

void pretext_adam_update(float *theta, const float *gradient, float *m, float *v, size_t n,
                         float scale, float l2, float beta1, float beta2, float step_size,
                         float inverse_root_correction2, float epsilon, float decay_factor) {
    size_t lanes = (size_t)pretext_parallel_lanes();
    size_t chunk = (n + lanes - 1) / lanes;
    chunk = (chunk + 7) / 8 * 8;
    if (lanes == 1 || chunk < ADAM_MIN_CHUNK) {
        adam_range(theta, gradient, m, v, n, scale, l2, beta1, beta2, step_size, inverse_root_correction2, epsilon, decay_factor);
        return;
    }
    adam_job job = {theta, m, v, gradient, n, chunk, scale, l2, beta1, beta2, step_size, inverse_root_correction2,
                    epsilon, decay_factor};
    pretext_parallel_for((long)((n + chunk - 1) / chunk), adam_chunk, &job);
}
