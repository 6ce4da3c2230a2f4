// The GPU division's correction (map.comp's divide) in C, against a driver whose quotient and
// reciprocal are each up to 2 ULP off (Vulkan allows 2.5): how many quotients still differ from
// the correctly rounded one, with one correction and with two. Inputs: random bit patterns (any
// exponent; the extreme ones the shader leaves to the driver are skipped) and everyday values;
// with FLUSH defined, the CPU flushes subnormals as a GPU driver may (x86-64 MXCSR FTZ/DAZ).
//   cc -O2 -ffp-contract=off [-DFLUSH] Benchmarks/kernel/divide_check.c -lm && ./a.out
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#if defined(FLUSH) && defined(__x86_64__)
#include <xmmintrin.h>
#endif

static uint64_t state = 88172645463325252ull;
static uint64_t next(void) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static float off_by(float x, int ulps) {
    for (int i = 0; i < (ulps < 0 ? -ulps : ulps); i++) x = nextafterf(x, ulps > 0 ? INFINITY : -INFINITY);
    return x;
}

/// v − q·w exactly, w split as wh + wl (as the shader's residual).
static float residual(float v, float q, float w, float wh, float wl) {
    float t = 4097.0f * q, qh = t - (t - q), ql = q - qh;
    float product = q * w;
    float error = ((qh * wh - product) + qh * wl + ql * wh) + ql * wl;
    return (v - product) - error;
}

/// -1 where the shader leaves the driver's quotient, else the corrected quotient in *out.
static int divide(float v, float w, int corrections, int quotient_off, int reciprocal_off, float *out) {
    float q = off_by(v / w, quotient_off);
    if (isnan(q) || isinf(q) || fabsf(w) < 7.888609e-31f || fabsf(w) > 1.2676506e30f || fabsf(v) < 1.3234889e-23f ||
        fabsf(v) > 4.2535296e37f || fabsf(q) < 7.888609e-31f || fabsf(q) > 1.2676506e30f)
        return -1;
    float t = 4097.0f * w, wh = t - (t - w), wl = w - wh;
    float y = off_by(1.0f / w, reciprocal_off);
    for (int i = 0; i < corrections; i++) q = q + residual(v, q, w, wh, wl) * y;
    *out = q;
    return 0;
}

int main(void) {
#if defined(FLUSH) && defined(__x86_64__)
    _mm_setcsr(_mm_getcsr() | 0x8040);  // flush-to-zero and denormals-are-zero
#endif
    for (int everyday = 0; everyday < 2; everyday++) {
        for (int corrections = 1; corrections <= 2; corrections++) {
            long wrong = 0, checked = 0;
            state = 88172645463325252ull;
            for (long i = 0; i < 20000000; i++) {
                uint32_t a = (uint32_t)next(), b = (uint32_t)next();
                float v, w, got;
                if (everyday) {
                    v = (float)((int32_t)a / 1e8);
                    w = 0.5f + (float)(b % 100000) / 30000.0f;
                } else {
                    memcpy(&v, &a, 4);
                    memcpy(&w, &b, 4);
                }
                int quotient_off = (int)(next() % 5) - 2, reciprocal_off = (int)(next() % 5) - 2;
                if (divide(v, w, corrections, quotient_off, reciprocal_off, &got)) continue;
                checked++;
                if (got != v / w) wrong++;
            }
            printf("%s inputs, %d correction%s: %ld of %ld quotients misrounded\n", everyday ? "everyday" : "random-bit",
                   corrections, corrections > 1 ? "s" : "", wrong, checked);
        }
    }
    return 0;
}
