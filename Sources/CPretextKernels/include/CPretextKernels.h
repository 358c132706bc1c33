// Element-wise kernels that Swift does not vectorise on a baseline x86-64 build (square
// roots and divisions keep errno semantics there). Each has a scalar version and, on
// x86-64, an AVX version chosen at run time only when the CPU reports AVX — never a
// kernel the CPU cannot run. Both do the same IEEE operations in the same order per
// element (separate multiplies and adds, no fused multiply-add), so results are
// bit-for-bit the same whichever runs.
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

/// 1 when the AVX path is in use (for benchmarks and tests).
int pretext_kernels_use_avx(void);

#endif
