#ifndef MYBRO_ACTIVATIONS_H
#define MYBRO_ACTIVATIONS_H
#include <stddef.h>

/// Softmax of each of `rows` rows of `columns` values in place (rows `stride` apart).
/// The exponential is a vectorised polynomial (relative error about 2e-7, below float32's
/// rounding of the sums that follow), AVX2+FMA where the CPU has it.
void mybro_softmax_rows(float *values, size_t rows, size_t columns, size_t stride);

/// GELU with the error function, x·(1 + erf(x/√2))/2, in place; erf by Abramowitz–Stegun
/// 7.1.26 (absolute error below 1.5e-7), vectorised where the CPU has AVX2+FMA.
void mybro_gelu(float *values, size_t count);
#endif
