// Element-wise kernels that Swift does not vectorise on a baseline x86-64 build (square
// roots and divisions keep errno semantics there). Each has a scalar version and, on
// x86-64, an AVX version chosen at run time only when the CPU reports AVX — never a
// kernel the CPU cannot run. Both do the same IEEE operations in the same order per
// element (separate multiplies and adds, no fused multiply-add), so results are
// bit-for-bit the same whichever runs. The column-sum and ReLU loops are plain C that the
// compiler vectorises for the baseline (SSE2), pointers `restrict`, loads unconditional.
#ifndef CPRETEXT_KERNELS_H
#define CPRETEXT_KERNELS_H

#include <stddef.h>

/// One Adam / AdamW step over n parameters, as Pretext's Optimizer documents it:
///   g = grad·scale + l2·θ;  m = β₁m + (1−β₁)g;  v = β₂v + ((1−β₂)g)g;
///   θ = θ·decay_factor − (step_size·m) / (√v·inverse_root_correction2 + ε).
/// Large updates are split into contiguous ranges over the compute lanes
/// (CPretextParallel); elements are independent, so the result is the same.
void pretext_adam_update(float *theta, const float *gradient, float *m, float *v, size_t n,
                         float scale, float l2, float beta1, float beta2, float step_size,
                         float inverse_root_correction2, float epsilon, float decay_factor);

/// One softmax row of a·x (n ≥ 1 values, τ⁻¹ = a for InfoNCE's similarities):
///   m = max_j a·x_j;  e_j = exp(a·x_j − m);  out_j = e_j · (1/Σ_k e_k)
/// with the sum in double; returns log Σ_k exp(a·x_k) = log Σ_k e_k + m. exp is glibc's
/// vector expf (libmvec; 16 lanes with AVX-512, 8 with AVX2) or its scalar expf, all
/// within 4 ulp; unlike the Adam kernel, the paths may differ in the last bit, and a
/// CPU always takes the same one. `out` may be `x`.
double pretext_softmax_row(const float *x, float *out, long n, float a);
/// The same through a chosen variant, for tests: 0 scalar, 1 AVX2 (8 lanes), 2 AVX-512
/// (16 lanes); the best variant the CPU has at or below the one asked for runs.
double pretext_softmax_row_variant(int variant, const float *x, float *out, long n, float a);

/// sums[c] += Σ_r x[r·stride + c] for c < columns, r < rows, rows added in order (the
/// same bits as adding one row after another into `sums`).
void pretext_add_column_sums(const float *x, long rows, long stride, float *sums, long columns);

/// y = max(x, 0) element-wise, as Swift's `max(x, 0)`: 0 ≥ x ? 0 : x (NaN stays NaN,
/// −0 becomes +0). `y` may be `x`.
void pretext_relu(const float *x, float *y, long count);

/// y[r·columns + c] = y[r·columns + c] + bias[c] for r < rows, c < columns; with `relu`
/// nonzero, then max(·, 0) as `pretext_relu`. A Linear layer's bias after a β = 0 product
/// (and its ReLU in the same pass): one read and one write of the output instead of
/// writing the bias rows first and having the product read them back.
void pretext_add_bias(float *y, const float *bias, long rows, long columns, int relu);

/// out = y > 0 ? gradient : 0, element-wise: ReLU's backward from its output y (y > 0
/// exactly where the input was > 0). `out` may be `gradient`.
void pretext_relu_mask(const float *y, const float *gradient, float *out, long count);

/// The three passes above through a chosen build, for tests: 0 baseline, 2 AVX-512 (when
/// the CPU has it; otherwise the baseline). Exact operations: every build, the same bits.
void pretext_relu_variant(int variant, const float *x, float *y, long count);
void pretext_add_bias_variant(int variant, float *y, const float *bias, long rows, long columns, int relu);
void pretext_relu_mask_variant(int variant, const float *y, const float *gradient, float *out, long count);

/// InfoNCE's ℓ2 row normalisation of a (rows, columns) matrix: norm_r = max(‖x_r‖, 1e-12)
/// with ‖x_r‖² summed as (double)(x·x) in eight double lanes (lane c mod 8, then the
/// lanes in order, then the tail), out_r = x_r / norm_r. `norms` gets one value per row.
/// The same code runs with AVX-512 when the CPU has it (same bits).
void pretext_normalize_rows(const float *x, float *out, float *norms, long rows, long columns);

/// Back through that normalisation: with y = x/‖x‖ and g = ∂L/∂y (per row),
/// out = (g − y·(g·y)) / norm, the dot product summed as above then rounded to float.
void pretext_normalization_backward(const float *dy, const float *y, const float *norms, float *out, long rows, long columns);

/// The same two through a chosen variant, for tests: 0 the baseline build, 2 AVX-512 (when
/// the CPU has it; otherwise the baseline runs).
void pretext_normalize_rows_variant(int variant, const float *x, float *out, float *norms, long rows, long columns);
void pretext_normalization_backward_variant(int variant, const float *dy, const float *y, const float *norms, float *out, long rows,
                                            long columns);

/// x *= factor, element-wise.
void pretext_scale(float *x, long count, float factor);

// ---- Column summaries (`pretext inspect`), column_summary.c ----------------------------

/// What one pass over a float column finds: its present (non-NaN) values' count, how many
/// are zero (±0), their sum in double (eight lanes, the lanes in order, then the tail: it
/// can differ from a sequential sum in the last bits), their range (+∞ and −∞ when none is
/// present), and whether every present value is whole.
typedef struct {
    long present;
    long zeros;
    double sum;
    float low;
    float high;
    int integral;
} pretext_float_statistics;

pretext_float_statistics pretext_float_statistics_of(const float *values, long count);

/// The number of distinct present values of a float column (0 and −0 are one value),
/// counted until it exceeds `limit` (the result is then limit + 1); `statistics` are the
/// column's own (a whole-number column spanning fewer than 2¹⁶ values is counted in a
/// byte per value of its range). −1 when memory ran out.
long pretext_count_distinct_floats(const float *values, long count, long limit, pretext_float_statistics statistics);

/// The same for doubles (dates as seconds), always through the hash set.
long pretext_count_distinct_doubles(const double *values, long count, long limit);

/// 1 when the AVX path is in use (for benchmarks and tests).
int pretext_kernels_use_avx(void);

#endif
