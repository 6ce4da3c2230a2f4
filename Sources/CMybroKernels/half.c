// Half-precision matrix products for the decoder's small, memory-bound steps.
// An AVX2+F16C+FMA path is chosen at run time where the CPU has it; otherwise a portable
// path converts through a bit-exact scalar routine. Both sum in float32.
#include "mybro_half.h"
#include <string.h>

static float half_to_float_scalar(uint16_t h) {
    uint32_t sign = (uint32_t)(h >> 15) << 31;
    uint32_t exponent = (h >> 10) & 0x1F;
    uint32_t mantissa = h & 0x3FF;
    uint32_t bits;
    if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {  // subnormal: normalise
            int shift = 0;
            while ((mantissa & 0x400) == 0) { mantissa <<= 1; shift++; }
            mantissa &= 0x3FF;
            bits = sign | ((uint32_t)(127 - 15 - shift + 1) << 23) | (mantissa << 13);
        }
    } else if (exponent == 31) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else {
        bits = sign | ((exponent - 15 + 127) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

#define MAX_COLS 8192

static void gemm_portable(const uint16_t *matrix, const float *bias, const float *x, float *y,
                          size_t rows, size_t cols, size_t count, size_t ldy, int accumulate) {
    float row[MAX_COLS];
    for (size_t r = 0; r < rows; r++) {
        const uint16_t *m = matrix + r * cols;
        for (size_t k = 0; k < cols; k++) row[k] = half_to_float_scalar(m[k]);
        for (size_t i = 0; i < count; i++) {
            const float *xi = x + i * cols;
            float sum = 0;
            for (size_t k = 0; k < cols; k++) sum += row[k] * xi[k];
            if (bias) sum += bias[r];
            if (accumulate) y[i * ldy + r] += sum; else y[i * ldy + r] = sum;
        }
    }
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define MYBRO_X86 1

__attribute__((target("avx2,fma,f16c")))
static inline float horizontal_sum(__m256 v) {
    __m128 low = _mm256_castps256_ps128(v), high = _mm256_extractf128_ps(v, 1);
    __m128 s = _mm_add_ps(low, high);
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
    return _mm_cvtss_f32(s);
}

__attribute__((target("avx2,fma,f16c")))
static void gemm_avx2(const uint16_t *matrix, const float *bias, const float *x, float *y,
                      size_t rows, size_t cols, size_t count, size_t ldy, int accumulate) {
    size_t vector_cols = cols & ~(size_t)31;
    if (count == 1) {
        // one input: stream the matrix once, four accumulators per row to hide FMA latency
        for (size_t r = 0; r < rows; r++) {
            const uint16_t *m = matrix + r * cols;
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
            size_t k = 0;
            for (; k < vector_cols; k += 32) {
                a0 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(m + k))), _mm256_loadu_ps(x + k), a0);
                a1 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(m + k + 8))), _mm256_loadu_ps(x + k + 8), a1);
                a2 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(m + k + 16))), _mm256_loadu_ps(x + k + 16), a2);
                a3 = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(m + k + 24))), _mm256_loadu_ps(x + k + 24), a3);
            }
            float sum = horizontal_sum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
            for (; k < cols; k++) sum += half_to_float_scalar(m[k]) * x[k];
            if (bias) sum += bias[r];
            if (accumulate) y[r] += sum; else y[r] = sum;
        }
        return;
    }
    // Several inputs (a prompt, or sampling's lanes): each matrix row is converted once, and
    // rows and inputs go two by two, so four dot products share their loads and eight
    // independent accumulators hide the FMA latency. Every dot product keeps one order (two
    // 8-wide accumulators over alternate 8-column blocks, then the columns past the last 16),
    // so an input's result does not depend on which inputs share the call or where it falls.
    float converted[2][MAX_COLS] __attribute__((aligned(32)));
    size_t block_cols = cols & ~(size_t)15;
    size_t r = 0;
    for (; r < rows; r += 2) {
        int pair = r + 1 < rows;
        for (int j = 0; j <= pair; j++) {
            const uint16_t *m = matrix + (r + j) * cols;
            size_t k = 0;
            for (; k + 8 <= cols; k += 8)
                _mm256_store_ps(converted[j] + k, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(m + k))));
            for (; k < cols; k++) converted[j][k] = half_to_float_scalar(m[k]);
        }
        size_t i = 0;
        if (pair) {
            const float *r0 = converted[0], *r1 = converted[1];
            for (; i + 2 <= count; i += 2) {
                const float *x0 = x + i * cols, *x1 = x0 + cols;
                __m256 a00 = _mm256_setzero_ps(), b00 = a00, a01 = a00, b01 = a00;
                __m256 a10 = a00, b10 = a00, a11 = a00, b11 = a00;
                for (size_t k = 0; k < block_cols; k += 16) {
                    __m256 w0 = _mm256_load_ps(r0 + k), v0 = _mm256_load_ps(r0 + k + 8);
                    __m256 w1 = _mm256_load_ps(r1 + k), v1 = _mm256_load_ps(r1 + k + 8);
                    __m256 p = _mm256_loadu_ps(x0 + k), q = _mm256_loadu_ps(x0 + k + 8);
                    a00 = _mm256_fmadd_ps(w0, p, a00); b00 = _mm256_fmadd_ps(v0, q, b00);
                    a10 = _mm256_fmadd_ps(w1, p, a10); b10 = _mm256_fmadd_ps(v1, q, b10);
                    p = _mm256_loadu_ps(x1 + k); q = _mm256_loadu_ps(x1 + k + 8);
                    a01 = _mm256_fmadd_ps(w0, p, a01); b01 = _mm256_fmadd_ps(v0, q, b01);
                    a11 = _mm256_fmadd_ps(w1, p, a11); b11 = _mm256_fmadd_ps(v1, q, b11);
                }
                float s00 = horizontal_sum(_mm256_add_ps(a00, b00)), s01 = horizontal_sum(_mm256_add_ps(a01, b01));
                float s10 = horizontal_sum(_mm256_add_ps(a10, b10)), s11 = horizontal_sum(_mm256_add_ps(a11, b11));
                for (size_t k = block_cols; k < cols; k++) {
                    s00 += r0[k] * x0[k]; s01 += r0[k] * x1[k];
                    s10 += r1[k] * x0[k]; s11 += r1[k] * x1[k];
                }
                if (bias) { s00 += bias[r]; s01 += bias[r]; s10 += bias[r + 1]; s11 += bias[r + 1]; }
                float *y0 = y + i * ldy + r, *y1 = y0 + ldy;
                if (accumulate) { y0[0] += s00; y0[1] += s10; y1[0] += s01; y1[1] += s11; }
                else { y0[0] = s00; y0[1] = s10; y1[0] = s01; y1[1] = s11; }
            }
        }
        // the last row alone, or the last input alone: the same order, one product at a time
        for (int j = 0; j <= pair; j++) {
            const float *row = converted[j];
            for (size_t t = i; t < count; t++) {
                const float *xi = x + t * cols;
                __m256 a0 = _mm256_setzero_ps(), a1 = a0;
                for (size_t k = 0; k < block_cols; k += 16) {
                    a0 = _mm256_fmadd_ps(_mm256_load_ps(row + k), _mm256_loadu_ps(xi + k), a0);
                    a1 = _mm256_fmadd_ps(_mm256_load_ps(row + k + 8), _mm256_loadu_ps(xi + k + 8), a1);
                }
                float sum = horizontal_sum(_mm256_add_ps(a0, a1));
                for (size_t k = block_cols; k < cols; k++) sum += row[k] * xi[k];
                if (bias) sum += bias[r + j];
                if (accumulate) y[t * ldy + r + j] += sum; else y[t * ldy + r + j] = sum;
            }
        }
    }
}

__attribute__((target("avx2,f16c")))
static void convert_avx2(const uint16_t *src, float *dst, size_t n) {
    size_t k = 0;
    for (; k + 8 <= n; k += 8) _mm256_storeu_ps(dst + k, _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)(src + k))));
    for (; k < n; k++) dst[k] = half_to_float_scalar(src[k]);
}

static int has_avx2(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return cached;
}
#endif

void mybro_half_gemm(const uint16_t *matrix, const float *bias, const float *x, float *y,
                     size_t rows, size_t cols, size_t count, size_t ldy, int accumulate) {
    if (cols > MAX_COLS) {  // wider than any Whisper layer; keep it correct anyway
        for (size_t i = 0; i < count; i++)
            for (size_t r = 0; r < rows; r++) {
                float sum = bias ? bias[r] : 0;
                for (size_t k = 0; k < cols; k++) sum += half_to_float_scalar(matrix[r * cols + k]) * x[i * cols + k];
                if (accumulate) y[i * ldy + r] += sum; else y[i * ldy + r] = sum;
            }
        return;
    }
#ifdef MYBRO_X86
    if (has_avx2()) { gemm_avx2(matrix, bias, x, y, rows, cols, count, ldy, accumulate); return; }
#endif
    gemm_portable(matrix, bias, x, y, rows, cols, count, ldy, accumulate);
}

void mybro_half_to_float(const uint16_t *src, float *dst, size_t n) {
#ifdef MYBRO_X86
    if (has_avx2()) { convert_avx2(src, dst, n); return; }
#endif
    for (size_t k = 0; k < n; k++) dst[k] = half_to_float_scalar(src[k]);
}

int mybro_half_accelerated(void) {
#ifdef MYBRO_X86
    return has_avx2();
#else
    return 0;
#endif
}
