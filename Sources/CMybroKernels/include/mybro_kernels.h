#ifndef MYBRO_KERNELS_H
#define MYBRO_KERNELS_H
// mybro's float32 kernels on the CPU: one generic SIMD body compiled for AVX-512, AVX2+FMA and the
// baseline (SSE2 on x86-64, NEON on arm64), chosen at run time; large inputs split over threads.
// Sums are accumulated in float lanes over short blocks and in double across blocks, so their error
// does not grow with n; variance combines per-block two-pass moments (Chan, Golub and LeVeque).
#include <stddef.h>
#include <stdint.h>

enum { MYBRO_PATH_BASELINE = 0, MYBRO_PATH_AVX2 = 1, MYBRO_PATH_AVX512 = 2 };
enum {
    MYBRO_UNARY_EXP = 0, MYBRO_UNARY_LOG, MYBRO_UNARY_SIGMOID, MYBRO_UNARY_TANH,
    MYBRO_UNARY_RELU, MYBRO_UNARY_ABS, MYBRO_UNARY_NEG, MYBRO_UNARY_COPY
};
enum { MYBRO_BINARY_ADD = 0, MYBRO_BINARY_SUB, MYBRO_BINARY_MUL, MYBRO_BINARY_DIV };

/// The instruction-set path in use, the best this CPU supports, and a name for each.
int mybro_k_path(void);
int mybro_k_best_path(void);
const char *mybro_k_path_name(int path);
/// Forces a path (tests, benchmarks); returns 0, or -1 when this CPU lacks it.
/// MYBRO_KERNELS_PATH=baseline|avx2|avx512 in the environment does the same at start.
int mybro_k_set_path(int path);

/// Threads used above the cut-over (default: online CPUs, at most 16; MYBRO_KERNELS_THREADS).
int mybro_k_threads(void);
void mybro_k_set_threads(int threads);
/// Elements from which work is split over threads (measured: see kernels_dispatch.c).
size_t mybro_k_thread_cutover(void);
void mybro_k_set_thread_cutover(size_t elements);
/// How many parts (threads) the calling thread's last threaded kernel ran in (1 where it ran
/// alone); for tests and diagnostics.
int mybro_k_last_parts(void);

// Reductions (n may be 0: sums give 0; min, max, mean and variance give NaN).
double mybro_k_sum(const float *x, size_t n);
double mybro_k_square_sum(const float *x, size_t n);
double mybro_k_abs_sum(const float *x, size_t n);
double mybro_k_masked_sum(const float *x, const float *mask, size_t n);
size_t mybro_k_threshold_count(const float *x, size_t n, float threshold);
float mybro_k_min(const float *x, size_t n);
float mybro_k_max(const float *x, size_t n);
float mybro_k_max_abs_finite(const float *x, size_t n);
/// Mean and sum of squared deviations from it (variance = m2 / n).
void mybro_k_moments(const float *x, size_t n, double *mean, double *m2);
/// Adds to `counts` the values in [low, high] in `bins` equal bins (the last one closed), as
/// numpy.histogram(x, bins, (low, high)) with edges in float64; NaN and values outside are left out.
void mybro_k_histogram(const float *x, size_t n, double low, double high, size_t bins, uint64_t *counts);

// Maps: y may be x (in place).
void mybro_k_unary(int op, const float *x, float *y, size_t n);
void mybro_k_binary(int op, const float *a, const float *b, float *y, size_t n);
void mybro_k_binary_scalar(int op, const float *a, float b, float *y, size_t n);

// Transforms.
/// Running sum from `carry` (in double); returns the carry after the last element. y may be x.
double mybro_k_scan(const float *x, float *y, size_t n, int exclusive, double carry);
/// Keeps x[i] where mask[i] != 0 (NaN counts as set), in order; returns how many were kept. y may
/// be x (then on one thread). Both may write anywhere in y[0, n), past the kept values too.
size_t mybro_k_compact_mask(const float *x, const float *mask, float *y, size_t n);
/// Keeps x[i] where x[i] > threshold; returns how many were kept. As compact_mask.
size_t mybro_k_compact_above(const float *x, float threshold, float *y, size_t n);
/// y (cols × rows) = transpose of x (rows × cols), both row-major. Interleaved → planar is the
/// transpose of frames × channels, planar → interleaved that of channels × frames. y must not
/// overlap x.
void mybro_k_transpose(const float *x, float *y, size_t rows, size_t cols);

// Quantization: q = clamp(rint(x / scale), −127, 127), NaN → 0; scale = max finite |x| / 127.
float mybro_k_quantize_scale(const float *x, size_t n);
void mybro_k_quantize(const float *x, int8_t *q, size_t n, float scale);
void mybro_k_dequantize(const int8_t *q, float *y, size_t n, float scale);

// Batched.
/// y[r] = a[r]·b[r] for `rows` pairs of rows of length k.
void mybro_k_dot_pairs(const float *a, const float *b, float *y, size_t rows, size_t k);
/// y[r] = q·m[r] / (|q| |m[r]|) for the rows of m (rows × k); NaN where a norm is 0.
void mybro_k_cosine(const float *q, const float *m, float *y, size_t rows, size_t k);
/// y[r·count + j] = the cosine similarity of row r of m (rows of k) with row j of `queries`:
/// OpenBLAS's sgemm for the products where a CBLAS library can be opened, then the norms; dot
/// products row by row where not. 0 on success, -1 when out of memory.
int mybro_k_cosines(const float *queries, size_t count, const float *m, size_t rows, size_t k, float *y);
/// Whether mybro_k_cosines multiplies through BLAS; `use` 0 or 1 switches it off or on (tests of
/// the other path), -1 only asks.
int mybro_k_cosines_use_blas(int use);

/// Σ x² of 16-bit samples, exactly (the audio level meters' frame energy).
int64_t mybro_k_i16_square_sum(const int16_t *x, size_t n);

// Bandwidth probes (STREAM's triad and copy), with the stores the maps use for large outputs.
void mybro_k_triad(float *a, const float *b, const float *c, float s, size_t n);
#endif
