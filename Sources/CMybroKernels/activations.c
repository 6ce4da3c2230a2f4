// Vectorised softmax and GELU for the encoder, whose attention computes tens of millions of
// exponentials per window: libm's expf/erff one at a time cost a fifth of the encoder.
#include "mybro_activations.h"
#include <math.h>

// erf(x) ≈ 1 − (a1·t + a2·t² + a3·t³ + a4·t⁴ + a5·t⁵)·e^(−x²), t = 1/(1 + p·x), x ≥ 0
// (Abramowitz and Stegun, Handbook of Mathematical Functions, 7.1.26).
#define ERF_P 0.3275911f
#define ERF_A1 0.254829592f
#define ERF_A2 -0.284496736f
#define ERF_A3 1.421413741f
#define ERF_A4 -1.453152027f
#define ERF_A5 1.061405429f

static float erf_scalar(float x) {
    float sign = x < 0 ? -1.0f : 1.0f;
    float a = fabsf(x);
    float t = 1.0f / (1.0f + ERF_P * a);
    float poly = ((((ERF_A5 * t + ERF_A4) * t + ERF_A3) * t + ERF_A2) * t + ERF_A1) * t;
    return sign * (1.0f - poly * expf(-a * a));
}

static void softmax_portable(float *values, size_t rows, size_t columns, size_t stride) {
    for (size_t r = 0; r < rows; r++) {
        float *x = values + r * stride;
        float maximum = -INFINITY;
        for (size_t i = 0; i < columns; i++) if (x[i] > maximum) maximum = x[i];
        float sum = 0;
        for (size_t i = 0; i < columns; i++) { x[i] = expf(x[i] - maximum); sum += x[i]; }
        float scale = 1.0f / sum;
        for (size_t i = 0; i < columns; i++) x[i] *= scale;
    }
}

static void gelu_portable(float *values, size_t count) {
    for (size_t i = 0; i < count; i++) values[i] = 0.5f * values[i] * (1.0f + erf_scalar(values[i] * 0.70710678f));
}

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>
#define MYBRO_X86 1

// e^x for x ≤ 0 (softmax arguments) and moderate negative values: n = round(x·log2 e),
// r = x − n·ln 2 in two parts, e^r by a degree-6 polynomial, scaled by 2^n through the exponent bits.
__attribute__((target("avx2,fma")))
static inline __m256 exp_avx2(__m256 x) {
    const __m256 low = _mm256_set1_ps(-87.3f), high = _mm256_set1_ps(88.3f);
    x = _mm256_max_ps(_mm256_min_ps(x, high), low);
    __m256 n = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                               _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    __m256 r = _mm256_fnmadd_ps(n, _mm256_set1_ps(0.693359375f), x);
    r = _mm256_fnmadd_ps(n, _mm256_set1_ps(-2.12194440e-4f), r);
    __m256 p = _mm256_set1_ps(1.9875691500e-4f);
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.3981999507e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(8.3334519073e-3f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(4.1665795894e-2f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(1.6666665459e-1f));
    p = _mm256_fmadd_ps(p, r, _mm256_set1_ps(5.0000001201e-1f));
    p = _mm256_fmadd_ps(p, _mm256_mul_ps(r, r), _mm256_add_ps(r, _mm256_set1_ps(1.0f)));
    __m256i exponent = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(n), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(p, _mm256_castsi256_ps(exponent));
}

__attribute__((target("avx2,fma")))
static void softmax_avx2(float *values, size_t rows, size_t columns, size_t stride) {
    for (size_t r = 0; r < rows; r++) {
        float *x = values + r * stride;
        size_t i = 0;
        __m256 vmax = _mm256_set1_ps(-INFINITY);
        for (; i + 8 <= columns; i += 8) vmax = _mm256_max_ps(vmax, _mm256_loadu_ps(x + i));
        float lanes[8];
        _mm256_storeu_ps(lanes, vmax);
        float maximum = lanes[0];
        for (int k = 1; k < 8; k++) if (lanes[k] > maximum) maximum = lanes[k];
        for (; i < columns; i++) if (x[i] > maximum) maximum = x[i];
        if (maximum == -INFINITY) maximum = 0;  // a fully masked row: all zeros after exp
        __m256 m = _mm256_set1_ps(maximum), vsum = _mm256_setzero_ps();
        for (i = 0; i + 8 <= columns; i += 8) {
            __m256 e = exp_avx2(_mm256_sub_ps(_mm256_loadu_ps(x + i), m));
            _mm256_storeu_ps(x + i, e);
            vsum = _mm256_add_ps(vsum, e);
        }
        _mm256_storeu_ps(lanes, vsum);
        float sum = 0;
        for (int k = 0; k < 8; k++) sum += lanes[k];
        for (; i < columns; i++) { x[i] = expf(x[i] - maximum); sum += x[i]; }
        __m256 scale = _mm256_set1_ps(1.0f / sum);
        for (i = 0; i + 8 <= columns; i += 8) _mm256_storeu_ps(x + i, _mm256_mul_ps(_mm256_loadu_ps(x + i), scale));
        for (; i < columns; i++) x[i] *= 1.0f / sum;
    }
}

__attribute__((target("avx2,fma")))
static void gelu_avx2(float *values, size_t count) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), root = _mm256_set1_ps(0.70710678f);
    const __m256 signMask = _mm256_set1_ps(-0.0f);
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 x = _mm256_loadu_ps(values + i);
        __m256 z = _mm256_mul_ps(x, root);
        __m256 a = _mm256_andnot_ps(signMask, z);
        __m256 t = _mm256_div_ps(one, _mm256_fmadd_ps(_mm256_set1_ps(ERF_P), a, one));
        __m256 poly = _mm256_set1_ps(ERF_A5);
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(ERF_A4));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(ERF_A3));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(ERF_A2));
        poly = _mm256_fmadd_ps(poly, t, _mm256_set1_ps(ERF_A1));
        poly = _mm256_mul_ps(poly, t);
        __m256 e = exp_avx2(_mm256_sub_ps(_mm256_setzero_ps(), _mm256_mul_ps(a, a)));
        __m256 erfAbs = _mm256_fnmadd_ps(poly, e, one);
        __m256 erf = _mm256_or_ps(erfAbs, _mm256_and_ps(z, signMask));
        _mm256_storeu_ps(values + i, _mm256_mul_ps(_mm256_mul_ps(half, x), _mm256_add_ps(one, erf)));
    }
    gelu_portable(values + i, count - i);
}

static int has_avx2_fma(void) {
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    }
    return cached;
}
#endif

void mybro_softmax_rows(float *values, size_t rows, size_t columns, size_t stride) {
#ifdef MYBRO_X86
    if (has_avx2_fma()) { softmax_avx2(values, rows, columns, stride); return; }
#endif
    softmax_portable(values, rows, columns, stride);
}

void mybro_gelu(float *values, size_t count) {
#ifdef MYBRO_X86
    if (has_avx2_fma()) { gelu_avx2(values, count); return; }
#endif
    gelu_portable(values, count);
}
