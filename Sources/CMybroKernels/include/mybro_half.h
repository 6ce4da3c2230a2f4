#ifndef MYBRO_HALF_H
#define MYBRO_HALF_H
#include <stddef.h>
#include <stdint.h>

/// y[i][r] = bias[r] + sum_k matrix[r][k] * x[i][k] for r < rows, i < count, where `matrix`
/// holds IEEE half floats (row-major, `cols` per row). The decoder's per-token products are
/// memory-bound: reading half floats halves their cost. `bias` may be NULL; `accumulate`
/// adds to y instead of overwriting it. x rows are `cols` apart, y rows `ldy` apart.
void mybro_half_gemm(const uint16_t *matrix, const float *bias, const float *x, float *y,
                     size_t rows, size_t cols, size_t count, size_t ldy, int accumulate);

/// dst[k] = (float)src[k] for k < n (half to single precision).
void mybro_half_to_float(const uint16_t *src, float *dst, size_t n);

/// Whether the AVX2/F16C/FMA path is in use (for diagnostics).
int mybro_half_accelerated(void);
#endif
