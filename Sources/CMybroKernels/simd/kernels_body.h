// The kernels, written once over GCC/Clang vector extensions and included by one file per
// instruction set, which defines W (lanes), SUFFIX (name part) and TARGET (a target attribute).
// Writing them once keeps the AVX-512, AVX2 and baseline (SSE2/NEON) paths from drifting apart;
// the compiler maps the vector operations to each set's instructions.
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "kernels_table.h"
#include "mybro_kernels.h"

#define GLUE2(a, b) a##_##b
#define GLUE(a, b) GLUE2(a, b)
#define NAME(name) GLUE(name, SUFFIX)

typedef float VF __attribute__((vector_size(W * 4)));
typedef int32_t VI __attribute__((vector_size(W * 4)));

/// Elements summed in float lanes before the block's total moves to double: each lane then
/// adds at most BLOCK / (4 W) values, so the float error stays near ε·√(that) of the block.
#define BLOCK 2048

static inline __attribute__((always_inline)) TARGET VF NAME(load)(const float *p) {
    VF v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline __attribute__((always_inline)) TARGET void NAME(store)(float *p, VF v) { memcpy(p, &v, sizeof v); }
static inline __attribute__((always_inline)) TARGET VF NAME(splat)(float s) {
    VF v = {0};
    return v + s;
}
static inline __attribute__((always_inline)) TARGET VF NAME(select)(VI mask, VF yes, VF no) {
    return (VF)(((VI)yes & mask) | ((VI)no & ~mask));
}
static inline __attribute__((always_inline)) TARGET VF NAME(fabs)(VF x) { return (VF)((VI)x & 0x7fffffff); }
static inline __attribute__((always_inline)) TARGET double NAME(lanes_sum)(VF v) {
    double total = 0;
    for (int i = 0; i < W; i++) total += v[i];
    return total;
}
/// Round to nearest, ties to even, for |x| < 2^22 (adding 1.5·2^23 leaves the integer part).
static inline __attribute__((always_inline)) TARGET VF NAME(round)(VF x) { return (x + 12582912.0f) - 12582912.0f; }

// MARK: - Transcendentals (Cephes-style range reduction and polynomials; errors in the README)

#if defined(MYBRO_EXP_TABLE)
/// 2^(j/32), j = 0…31, rounded to float, and what the rounding left (EXP2_TABLE + EXP2_TABLE_LOW is
/// 2^(j/32) to about 2^−48).
static const float EXP2_TABLE[32] __attribute__((aligned(64))) = {
    1.000000000e+00f, 1.021897197e+00f, 1.044273734e+00f, 1.067140460e+00f, 1.090507746e+00f, 1.114386797e+00f, 1.138788581e+00f, 1.163724899e+00f, 1.189207077e+00f, 1.215247393e+00f, 1.241857767e+00f, 1.269050956e+00f, 1.296839595e+00f, 1.325236678e+00f, 1.354255557e+00f, 1.383909941e+00f, 1.414213538e+00f, 1.445180774e+00f, 1.476826191e+00f, 1.509164453e+00f, 1.542210817e+00f, 1.575980902e+00f, 1.610490322e+00f, 1.645755529e+00f, 1.681792855e+00f, 1.718619347e+00f, 1.756252170e+00f, 1.794709086e+00f, 1.834008098e+00f, 1.874167681e+00f, 1.915206552e+00f, 1.957144141e+00f};
static const float EXP2_TABLE_LOW[32] __attribute__((aligned(64))) = {
    0.000000000e+00f, -4.811559862e-08f, 4.833470157e-08f, -5.933751979e-08f, -1.307753994e-08f, -5.435540018e-08f, 5.386222313e-08f, -4.051441493e-08f, 3.797635273e-08f, -3.267394888e-08f, 4.496838102e-08f, 1.419333318e-09f, -4.018999533e-08f, -3.496373324e-08f, -1.012334927e-08f, -5.875577358e-08f, 2.420323497e-08f, 3.324199938e-08f, -4.500898854e-08f, -2.495937323e-08f, 8.070904833e-09f, -5.661025426e-08f, 9.836217174e-09f, -5.124972091e-08f, -2.475532668e-08f, -4.849617596e-08f, -9.235770371e-09f, -1.141504491e-08f, -1.123927795e-08f, -4.663005626e-08f, 9.845328108e-09f, -1.702180441e-08f};

/// e^x on AVX-512: k = round(x·32/ln 2), r = x − k·ln 2/32 (|r| ≤ 0.0109, in two parts),
/// e^x = 2^(k>>5) · 2^((k&31)/32) · e^r with the middle factor from a 32-entry table (one permute)
/// and e^r − 1 by a degree-4 polynomial (error ~r^5/120 < 2^−36); the table value t (plus its
/// rounding error, from a second table) multiplies in as t + (t·(e^r − 1) + low), and vscalefps
/// applies 2^(k>>5) with the denormal and overflow results exact. About half the arithmetic of the
/// degree-7 path below, and half its error.
static inline __attribute__((always_inline)) TARGET VF NAME(exp)(VF input) {
    // Clamped; maxps and minps return their second operand when either is NaN, so NaN stays
    // NaN through every step below. k is rounded to nearest by the conversion.
    VF x = (VF)_mm512_min_ps(_mm512_set1_ps(89.0f), _mm512_max_ps(_mm512_set1_ps(-104.0f), (__m512)input));
    VI ki = (VI)_mm512_cvtps_epi32((__m512)(x * 46.16624130844682f));  // 32 / ln 2
    VF k = __builtin_convertvector(ki, VF);
    VF r = x - k * 0.021667480468750f;  // ln 2 / 32, high part (9 bits: k·it is exact)
    r = r - k * -6.631076262e-6f;                // ln 2 / 32, low part
    VF q = NAME(splat)(4.1666667908e-2f);        // 1/24
    q = q * r + 1.6666667163e-1f;                // 1/6
    q = q * r + 0.5f;
    q = q * (r * r) + r;  // e^r − 1
    VF t = (VF)_mm512_permutex2var_ps(
        _mm512_load_ps(EXP2_TABLE), (__m512i)(ki & 31), _mm512_load_ps(EXP2_TABLE + 16));
    VF low = (VF)_mm512_permutex2var_ps(
        _mm512_load_ps(EXP2_TABLE_LOW), (__m512i)(ki & 31), _mm512_load_ps(EXP2_TABLE_LOW + 16));
    VF y = t + (t * q + low);  // the table's rounding corrected: one rounding of note, the last
    y = (VF)_mm512_scalef_ps((__m512)y, (__m512)__builtin_convertvector(ki >> 5, VF));
    return y;
}
#else
/// e^x: n = round(x·log2 e), r = x − n·ln 2 in two parts, e^r by a degree-7 polynomial, times 2^n
/// applied as two factors so that results in the denormal range and up to 2^128 come out right.
static inline __attribute__((always_inline)) TARGET VF NAME(exp)(VF input) {
    VF x = input;
    x = NAME(select)(x < -104.0f, NAME(splat)(-104.0f), x);
    x = NAME(select)(x > 89.0f, NAME(splat)(89.0f), x);
    VF n = NAME(round)(x * 1.44269504088896341f);
    VF r = x - n * 0.693359375f;
    r = r - n * -2.12194440e-4f;
    VF p = NAME(splat)(1.9875691500e-4f);
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + (r + 1.0f);
    VI ni = __builtin_convertvector(n, VI);
    VI n1 = ni >> 1, n2 = ni - n1;
    VF s1 = (VF)((n1 + 127) << 23), s2 = (VF)((n2 + 127) << 23);
    VF y = (p * s1) * s2;
    return NAME(select)(input != input, input, y);
}
#endif

#if defined(MYBRO_LOG_TABLE)
#include "log_table.h"
/// ln x for positive normal x on AVX-512 (then times 2^e): x = z·2^k with z in [0.75, 1.5), c
/// from a 32-interval table of z (log_table.h: 1/c, and ln c in two parts, fetched with one
/// two-table permute each), r = z·(1/c) − 1 exact to one rounding (|r| ≤ 1/32), and
/// ln x = k·ln 2 + ln c + ln(1 + r) with ln(1 + r) − r by a degree-5 polynomial. The two
/// large terms are added with their rounding errors kept (Fast2Sum: |k·ln 2| > |ln c| when
/// k ≠ 0, and |k·ln 2 + ln c| > |r| unless both are 0). Over every positive float: 0.741 ULP
/// at most (the polynomial below: 0.829), in about three quarters of its time.
static inline __attribute__((always_inline)) TARGET VF NAME(log_normal)(VF x, VF e) {
    VI bits = (VI)x;
    VI offset = bits - 0x3f400000;  // 0.75
    VF k = __builtin_convertvector(offset >> 23, VF) + e;
    VF z = (VF)(bits - (offset & (int32_t)0xff800000));
    __m512i interval = (__m512i)(offset >> 18);  // the permutes read its low 5 bits
    VF reciprocal = (VF)_mm512_permutex2var_ps(
        _mm512_load_ps(LOG_TABLE_RECIPROCAL), interval, _mm512_load_ps(LOG_TABLE_RECIPROCAL + 16));
    VF high = (VF)_mm512_permutex2var_ps(_mm512_load_ps(LOG_TABLE_HIGH), interval, _mm512_load_ps(LOG_TABLE_HIGH + 16));
    VF low = (VF)_mm512_permutex2var_ps(_mm512_load_ps(LOG_TABLE_LOW), interval, _mm512_load_ps(LOG_TABLE_LOW + 16));
    VF r = (VF)_mm512_fmsub_ps((__m512)z, (__m512)reciprocal, _mm512_set1_ps(1.0f));
    VF scaled = k * 0.693145751953125f;  // ln 2's high part: 16 bits, so k·it is exact
    VF t = scaled + high;
    VF error = (scaled - t) + high;
    VF s = t + r;
    error = error + ((t - s) + r);
    VF p = NAME(splat)(0.2f);
    p = p * r + -0.25f;
    p = p * r + 0.333333343f;
    p = p * r + -0.5f;
    VF tail = k * 1.4286068202862268e-6f + low;  // ln 2's low part
    return s + ((r * r) * p + (tail + error));
}
#else
/// ln x for positive normal x: x = m·2^e with m in [√½, √2), ln m by Cephes' degree-9 polynomial in m − 1.
static inline __attribute__((always_inline)) TARGET VF NAME(log_normal)(VF x, VF e) {
    VI bits = (VI)x;
    e = e + __builtin_convertvector(((bits >> 23) & 0xff) - 126, VF);
    VF m = (VF)((bits & 0x007fffff) | 0x3f000000);  // [0.5, 1)
    VI small = m < 0.707106781186547524f;
    e = NAME(select)(small, e - 1.0f, e);
    m = NAME(select)(small, m + m, m) - 1.0f;
    VF z = m * m;
    VF p = NAME(splat)(7.0376836292e-2f);
    p = p * m + -1.1514610310e-1f;
    p = p * m + 1.1676998740e-1f;
    p = p * m + -1.2420140846e-1f;
    p = p * m + 1.4249322787e-1f;
    p = p * m + -1.6668057665e-1f;
    p = p * m + 2.0000714765e-1f;
    p = p * m + -2.4999993993e-1f;
    p = p * m + 3.3333331174e-1f;
    VF y = p * m * z;
    y = y + e * -2.12194440e-4f;
    y = y - 0.5f * z;
    return m + y + e * 0.693359375f;
}
#endif

/// ln x; lanes that are not positive normal numbers (rare) take a second, exact-special-value path.
static inline __attribute__((always_inline)) TARGET VF NAME(log)(VF x) {
    VI special = ~((x >= 1.17549435e-38f) & (x < INFINITY));
    if (!__builtin_reduce_or(special)) return NAME(log_normal)(x, NAME(splat)(0.0f));
    VI tiny = (x > 0.0f) & (x < 1.17549435e-38f);
    VF scaled = NAME(select)(tiny, x * 8388608.0f, x);  // denormals: scale by 2^23 first
    VF result = NAME(log_normal)(scaled, NAME(select)(tiny, NAME(splat)(-23.0f), NAME(splat)(0.0f)));
    result = NAME(select)(x == 0.0f, NAME(splat)(-INFINITY), result);
    result = NAME(select)(x < 0.0f, NAME(splat)(NAN), result);
    result = NAME(select)(x == INFINITY, x, result);
    return NAME(select)(x != x, x, result);
}

/// 1 / (1 + e^−x), as e/(1 + e) with e = e^−|x| for negative x so that tiny results stay accurate.
static inline __attribute__((always_inline)) TARGET VF NAME(sigmoid)(VF x) {
    VF e = NAME(exp)(-NAME(fabs)(x));
    return NAME(select)(x < 0.0f, e, NAME(splat)(1.0f)) / (1.0f + e);
}

#if defined(MYBRO_TANH_TABLE)
#include "tanh_table.h"
/// tanh on AVX-512: the polynomial of |x|'s interval (tanh_table.h: 32 intervals over [0, 10),
/// degree 7), each lane's coefficients fetched with one two-table permute per degree, then x's
/// sign. No exp, no division and one path for every lane: about half the work of the formula
/// below.
static inline __attribute__((always_inline)) TARGET VF NAME(tanh)(VF x) {
    // Past 9.5 the last intervals' polynomials give 1, as tanh rounds to 1 past 9.01: clamping
    // there replaces a test and a select. minps returns its second operand when one is NaN, so
    // a NaN stays NaN through t and every FMA (its index, INT_MIN, is read only through the
    // permutes' low 5 bits), and comes out quiet with x's sign, as numpy's does.
    VF a = (VF)_mm512_min_ps(_mm512_set1_ps(9.5f), (__m512)NAME(fabs)(x));
    VI index = __builtin_convertvector(a * (1.0f / TANH_TABLE_WIDTH), VI);
    VF t = a - __builtin_convertvector(index, VF) * TANH_TABLE_WIDTH;  // exact (Sterbenz)
    __m512i lanes = (__m512i)index;
    VF p = (VF)_mm512_permutex2var_ps(_mm512_load_ps(TANH_TABLE[7]), lanes, _mm512_load_ps(TANH_TABLE[7] + 16));
    for (int k = 6; k >= 0; k--) {
        p = p * t + (VF)_mm512_permutex2var_ps(_mm512_load_ps(TANH_TABLE[k]), lanes, _mm512_load_ps(TANH_TABLE[k] + 16));
    }
    return (VF)((VI)p | ((VI)x & (int32_t)0x80000000));
}
#else
/// tanh: an odd polynomial below |x| = 0.625 (Cephes tanhf), else 1 − 2/(e^2|x| + 1) with x's sign.
static inline __attribute__((always_inline)) TARGET VF NAME(tanh)(VF x) {
    VF a = NAME(fabs)(x);
    VF z = x * x;
    VF p = NAME(splat)(-5.70498872745e-3f);
    p = p * z + 2.06390887954e-2f;
    p = p * z + -5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z + -3.33332819422e-1f;
    VF small = p * z * x + x;
    VF big = 1.0f - 2.0f / (NAME(exp)(a + a) + 1.0f);
    big = (VF)((VI)big | ((VI)x & (int32_t)0x80000000));
    small = NAME(select)(x == 0.0f, x, small);  // keeps −0
    return NAME(select)(a < 0.625f, small, big);
}
#endif

static inline __attribute__((always_inline)) TARGET VF NAME(apply_unary)(int op, VF x) {
    switch (op) {
    case MYBRO_UNARY_EXP: return NAME(exp)(x);
    case MYBRO_UNARY_LOG: return NAME(log)(x);
    case MYBRO_UNARY_SIGMOID: return NAME(sigmoid)(x);
    case MYBRO_UNARY_TANH: return NAME(tanh)(x);
    // max(0, x) keeps NaN and −0 as numpy.maximum(x, 0) does.
    case MYBRO_UNARY_RELU: return NAME(select)((x < 0.0f), NAME(splat)(0.0f), x);
    case MYBRO_UNARY_ABS: return NAME(fabs)(x);
    case MYBRO_UNARY_NEG: return (VF)((VI)x ^ (int32_t)0x80000000);
    default: return x;
    }
}

static inline __attribute__((always_inline)) TARGET VF NAME(apply_binary)(int op, VF a, VF b) {
    switch (op) {
    case MYBRO_BINARY_ADD: return a + b;
    case MYBRO_BINARY_SUB: return a - b;
    case MYBRO_BINARY_MUL: return a * b;
    default: return a / b;
    }
}

// MARK: - Loop skeletons: full vectors, then the tail through a padded vector, so the tail
// gets exactly the same arithmetic as the body.

static inline __attribute__((always_inline)) TARGET VF NAME(load_tail)(const float *p, size_t count, float pad) {
    float lanes[W];
    for (int i = 0; i < W; i++) lanes[i] = pad;
    memcpy(lanes, p, count * sizeof(float));
    return NAME(load)(lanes);
}
static inline __attribute__((always_inline)) TARGET void NAME(store_tail)(float *p, VF v, size_t count) {
    float lanes[W];
    NAME(store)(lanes, v);
    memcpy(p, lanes, count * sizeof(float));
}

/// Lanes of the output to write before it is aligned to a whole vector: non-temporal stores need
/// it, and an ordinary full-width store that straddles two cache lines costs two (Swift arrays
/// start 32 bytes into their allocation, so every 512-bit store of a map into one straddled).
static inline size_t NAME(peel)(const float *y, size_t n) {
    size_t misaligned = ((uintptr_t)y % (W * 4)) / 4;
    size_t peel = misaligned ? W - misaligned : 0;
    return ((uintptr_t)y % 4 == 0 && peel < n) ? peel : n;
}

static inline __attribute__((always_inline)) TARGET void NAME(fence)(int nontemporal) {
#if defined(__x86_64__)
    if (nontemporal) __builtin_ia32_sfence();
#else
    (void)nontemporal;
#endif
}

#define MAP_LOOP(EXPR_AT)                                                                          \
    size_t i = 0, peel = NAME(peel)(y, n);                                                         \
    for (; i + W <= peel; i += W) NAME(store)(y + i, EXPR_AT(i));                                  \
    if (i < peel) {                                                                                \
        size_t count = peel - i;                                                                   \
        VF tail = EXPR_TAIL(i, count);                                                             \
        NAME(store_tail)(y + i, tail, count);                                                      \
        i = peel;                                                                                  \
    }                                                                                              \
    if (nontemporal && peel < n) {                                                                 \
        for (; i + W <= n; i += W) __builtin_nontemporal_store(EXPR_AT(i), (VF *)(y + i));         \
    } else {                                                                                       \
        for (; i + W <= n; i += W) NAME(store)(y + i, EXPR_AT(i));                                 \
    }                                                                                              \
    if (i < n) NAME(store_tail)(y + i, EXPR_TAIL(i, n - i), n - i);                                \
    NAME(fence)(nontemporal);

/// One loop per function, so that the function is inlined into its loop (a switch inside the
/// loop kept the compiler from inlining and cost up to 3× on the transcendental maps).
#define DEFINE_UNARY(FN)                                                                           \
    static TARGET void NAME(GLUE(unary, FN))(const float *x, float *y, size_t n, int nontemporal) { \
        MAP_LOOP(EXPR_AT)                                                                          \
    }
#define EXPR_AT(i) APPLY(NAME(load)(x + (i)))
#define EXPR_TAIL(i, count) APPLY(NAME(load_tail)(x + (i), (count), 1.0f))
#define APPLY(v) NAME(exp)(v)
DEFINE_UNARY(exp)
#undef APPLY
#define APPLY(v) NAME(log)(v)
DEFINE_UNARY(log)
#undef APPLY
#define APPLY(v) NAME(sigmoid)(v)
DEFINE_UNARY(sigmoid)
#undef APPLY
#define APPLY(v) NAME(tanh)(v)
DEFINE_UNARY(tanh)
#undef APPLY
#define APPLY(v) NAME(apply_unary)(MYBRO_UNARY_RELU, v)
DEFINE_UNARY(relu)
#undef APPLY
#define APPLY(v) NAME(fabs)(v)
DEFINE_UNARY(abs)
#undef APPLY
#define APPLY(v) ((VF)((VI)(v) ^ (int32_t)0x80000000))
DEFINE_UNARY(neg)
#undef APPLY
#define APPLY(v) (v)
DEFINE_UNARY(copy)
#undef APPLY
#undef EXPR_AT
#undef EXPR_TAIL

static TARGET void NAME(unary)(int op, const float *x, float *y, size_t n, int nontemporal) {
    switch (op) {
    case MYBRO_UNARY_EXP: NAME(unary_exp)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_LOG: NAME(unary_log)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_SIGMOID: NAME(unary_sigmoid)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_TANH: NAME(unary_tanh)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_RELU: NAME(unary_relu)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_ABS: NAME(unary_abs)(x, y, n, nontemporal); break;
    case MYBRO_UNARY_NEG: NAME(unary_neg)(x, y, n, nontemporal); break;
    default: NAME(unary_copy)(x, y, n, nontemporal); break;
    }
}

static TARGET void NAME(binary)(int op, const float *a, const float *b, float *y, size_t n, int nontemporal) {
#define EXPR_AT(i) NAME(apply_binary)(op, NAME(load)(a + (i)), NAME(load)(b + (i)))
#define EXPR_TAIL(i, count) \
    NAME(apply_binary)(op, NAME(load_tail)(a + (i), (count), 1.0f), NAME(load_tail)(b + (i), (count), 1.0f))
    MAP_LOOP(EXPR_AT)
#undef EXPR_AT
#undef EXPR_TAIL
}

static TARGET void NAME(binary_scalar)(int op, const float *a, float s, float *y, size_t n, int nontemporal) {
    VF b = NAME(splat)(s);
#define EXPR_AT(i) NAME(apply_binary)(op, NAME(load)(a + (i)), b)
#define EXPR_TAIL(i, count) NAME(apply_binary)(op, NAME(load_tail)(a + (i), (count), 1.0f), b)
    MAP_LOOP(EXPR_AT)
#undef EXPR_AT
#undef EXPR_TAIL
}

static TARGET void NAME(triad)(float *a, const float *b, const float *c, float s, size_t n, int nontemporal) {
    float *y = a;
#define EXPR_AT(i) (NAME(load)(b + (i)) + s * NAME(load)(c + (i)))
#define EXPR_TAIL(i, count) (NAME(load_tail)(b + (i), (count), 0) + s * NAME(load_tail)(c + (i), (count), 0))
    MAP_LOOP(EXPR_AT)
#undef EXPR_AT
#undef EXPR_TAIL
}

// MARK: - Reductions

/// Sums f(x) in four vector accumulators per block and the blocks in double.
#define BLOCKED_SUM(TERM)                                                                          \
    double total = 0;                                                                              \
    for (size_t start = 0; start < n; start += BLOCK) {                                            \
        size_t end = start + BLOCK < n ? start + BLOCK : n, i = start;                            \
        VF s0 = {0}, s1 = {0}, s2 = {0}, s3 = {0};                                                 \
        for (; i + 4 * W <= end; i += 4 * W) {                                                     \
            s0 += TERM(i);                                                                         \
            s1 += TERM(i + W);                                                                     \
            s2 += TERM(i + 2 * W);                                                                 \
            s3 += TERM(i + 3 * W);                                                                 \
        }                                                                                          \
        for (; i + W <= end; i += W) s0 += TERM(i);                                                \
        double block = NAME(lanes_sum)((s0 + s1) + (s2 + s3));                                     \
        for (; i < end; i++) block += (double)SCALAR_TERM(i);                                      \
        total += block;                                                                            \
    }                                                                                              \
    return total;

static TARGET double NAME(sum)(const float *x, size_t n) {
#define TERM(i) NAME(load)(x + (i))
#define SCALAR_TERM(i) x[i]
    BLOCKED_SUM(TERM)
#undef TERM
#undef SCALAR_TERM
}

typedef double VD __attribute__((vector_size(W * 8)));

static TARGET double NAME(sum_wide)(const float *x, size_t n) {
    VD s0 = {0}, s1 = {0};
    size_t i = 0;
    for (; i + 2 * W <= n; i += 2 * W) {
        s0 += __builtin_convertvector(NAME(load)(x + i), VD);
        s1 += __builtin_convertvector(NAME(load)(x + i + W), VD);
    }
    double total = 0;
    for (int lane = 0; lane < W; lane++) total += s0[lane] + s1[lane];
    for (; i < n; i++) total += x[i];
    return total;
}

// MARK: - Scan

// Lane shifts of a vector of W doubles, zeros coming in at lane 0, and the last lane everywhere:
// the steps of a prefix sum inside one vector (Hillis and Steele: log2 W shifted adds).
#if W == 16
#define SHIFT1(v, z) __builtin_shufflevector(v, z, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14)
#define SHIFT2(v, z) __builtin_shufflevector(v, z, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)
#define SHIFT4(v, z) __builtin_shufflevector(v, z, 16, 16, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)
#define SHIFT8(v, z) __builtin_shufflevector(v, z, 16, 16, 16, 16, 16, 16, 16, 16, 0, 1, 2, 3, 4, 5, 6, 7)
#define LAST(v) __builtin_shufflevector(v, v, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15, 15)
#elif W == 8
#define SHIFT1(v, z) __builtin_shufflevector(v, z, 8, 0, 1, 2, 3, 4, 5, 6)
#define SHIFT2(v, z) __builtin_shufflevector(v, z, 8, 8, 0, 1, 2, 3, 4, 5)
#define SHIFT4(v, z) __builtin_shufflevector(v, z, 8, 8, 8, 8, 0, 1, 2, 3)
#define LAST(v) __builtin_shufflevector(v, v, 7, 7, 7, 7, 7, 7, 7, 7)
#elif W == 4
#define SHIFT1(v, z) __builtin_shufflevector(v, z, 4, 0, 1, 2)
#define SHIFT2(v, z) __builtin_shufflevector(v, z, 4, 4, 0, 1)
#define LAST(v) __builtin_shufflevector(v, v, 3, 3, 3, 3)
#else
#error "the scan needs W of 4, 8 or 16"
#endif

/// x's W values as doubles, each lane the sum of the lanes up to it (through a pointer: a
/// vector of doubles wider than the baseline's registers is not returned by value).
static inline __attribute__((always_inline)) TARGET void NAME(prefix)(const float *x, VD *out) {
    const VD zero = {0};
    VD p = __builtin_convertvector(NAME(load)(x), VD);
    p += SHIFT1(p, zero);
    p += SHIFT2(p, zero);
#if W >= 8
    p += SHIFT4(p, zero);
#endif
#if W == 16
    p += SHIFT8(p, zero);
#endif
    *out = p;
}

/// One piece of a scan, in double from `carry`: 4 vectors per step, each summed inside itself
/// (`prefix`), then offset by the carry and the totals of the vectors before it in the step.
/// The carry itself takes one add per step (the four totals are added off its chain), so the
/// adds do not wait on each other. `STREAM`: the stores go past the cache (y aligned to a
/// vector). Returns the carry after the piece.
static inline __attribute__((always_inline)) TARGET double NAME(scan_steps)(
    const float *x, float *y, size_t n, int exclusive, double carry, const int STREAM) {
    const VD zero = {0};
    VD c = zero + carry;
    size_t i = 0;
#define SCAN_STORE(p, v) (STREAM ? __builtin_nontemporal_store((v), (VF *)(p)) : NAME(store)((p), (v)))
    for (; i + 4 * W <= n; i += 4 * W) {
        VD p0, p1, p2, p3;
        NAME(prefix)(x + i, &p0);
        NAME(prefix)(x + i + W, &p1);
        NAME(prefix)(x + i + 2 * W, &p2);
        NAME(prefix)(x + i + 3 * W, &p3);
        VD t0 = LAST(p0), t01 = t0 + LAST(p1), t23 = LAST(p2) + LAST(p3);
        VD c1 = c + t0, c2 = c + t01, c3 = c + (t01 + LAST(p2));
        if (exclusive) {
            p0 = SHIFT1(p0, zero);
            p1 = SHIFT1(p1, zero);
            p2 = SHIFT1(p2, zero);
            p3 = SHIFT1(p3, zero);
        }
        SCAN_STORE(y + i, __builtin_convertvector(p0 + c, VF));
        SCAN_STORE(y + i + W, __builtin_convertvector(p1 + c1, VF));
        SCAN_STORE(y + i + 2 * W, __builtin_convertvector(p2 + c2, VF));
        SCAN_STORE(y + i + 3 * W, __builtin_convertvector(p3 + c3, VF));
        c += t01 + t23;
    }
#undef SCAN_STORE
    carry = c[0];
    for (; i < n; i++) {
        double before = carry;
        carry += x[i];
        y[i] = (float)(exclusive ? before : carry);
    }
    return carry;
}

/// `nontemporal`: stream the stores past the cache where y allows it (aligned to a vector; the
/// values are the same either way, so the result does not depend on y's alignment).
static TARGET double NAME(scan_piece)(const float *x, float *y, size_t n, int exclusive, double carry, int nontemporal) {
    if (nontemporal && (uintptr_t)y % sizeof(VF) == 0) {
        carry = NAME(scan_steps)(x, y, n, exclusive, carry, 1);
        NAME(fence)(1);
        return carry;
    }
    return NAME(scan_steps)(x, y, n, exclusive, carry, 0);
}
#undef SHIFT1
#undef SHIFT2
#undef SHIFT4
#undef SHIFT8
#undef LAST

static TARGET double NAME(square_sum)(const float *x, size_t n) {
#define TERM(i) (NAME(load)(x + (i)) * NAME(load)(x + (i)))
#define SCALAR_TERM(i) ((double)x[i] * x[i])
    BLOCKED_SUM(TERM)
#undef TERM
#undef SCALAR_TERM
}

static TARGET double NAME(abs_sum)(const float *x, size_t n) {
#define TERM(i) NAME(fabs)(NAME(load)(x + (i)))
#define SCALAR_TERM(i) fabsf(x[i])
    BLOCKED_SUM(TERM)
#undef TERM
#undef SCALAR_TERM
}

static TARGET double NAME(masked_sum)(const float *x, const float *mask, size_t n) {
#define TERM(i) NAME(select)(NAME(load)(mask + (i)) != 0.0f, NAME(load)(x + (i)), NAME(splat)(0.0f))
#define SCALAR_TERM(i) (mask[i] != 0.0f ? x[i] : 0.0f)
    BLOCKED_SUM(TERM)
#undef TERM
#undef SCALAR_TERM
}

static TARGET size_t NAME(threshold_count)(const float *x, size_t n, float threshold) {
    size_t total = 0, i = 0;
    while (i < n) {
        // int32 lanes count at most 2^20 vectors before they are emptied.
        size_t end = n - i > ((size_t)1 << 20) ? i + ((size_t)1 << 20) : n;
        VI c0 = {0}, c1 = {0};
        for (; i + 2 * W <= end; i += 2 * W) {
            c0 -= NAME(load)(x + i) > threshold;
            c1 -= NAME(load)(x + i + W) > threshold;
        }
        for (; i + W <= end; i += W) c0 -= NAME(load)(x + i) > threshold;
        for (; i < end; i++) total += x[i] > threshold;
        VI c = c0 + c1;
        for (int lane = 0; lane < W; lane++) total += (uint32_t)c[lane];
    }
    return total;
}

#define EXTREMUM(BETTER, SCALAR_BETTER)                                                            \
    size_t i = 0;                                                                                  \
    VF best = NAME(splat)(x[0]), best2 = best;                                                     \
    VI nan = {0};                                                                                  \
    for (; i + 2 * W <= n; i += 2 * W) {                                                           \
        VF v = NAME(load)(x + i), v2 = NAME(load)(x + i + W);                                      \
        best = NAME(select)(v BETTER best, v, best);                                               \
        best2 = NAME(select)(v2 BETTER best2, v2, best2);                                          \
        nan |= (v != v) | (v2 != v2);                                                              \
    }                                                                                              \
    best = NAME(select)(best2 BETTER best, best2, best);                                           \
    float result = best[0];                                                                        \
    int anyNaN = 0;                                                                                \
    for (int lane = 0; lane < W; lane++) {                                                         \
        anyNaN |= nan[lane];                                                                       \
        if (best[lane] SCALAR_BETTER result) result = best[lane];                                  \
    }                                                                                              \
    for (; i < n; i++) {                                                                           \
        anyNaN |= x[i] != x[i];                                                                    \
        if (x[i] SCALAR_BETTER result) result = x[i];                                              \
    }                                                                                              \
    return anyNaN ? NAN : result;

static TARGET float NAME(min)(const float *x, size_t n) { EXTREMUM(<, <) }
static TARGET float NAME(max)(const float *x, size_t n) { EXTREMUM(>, >) }

static TARGET float NAME(max_abs_finite)(const float *x, size_t n) {
    VF best = {0};
    size_t i = 0;
    for (; i + W <= n; i += W) {
        VF a = NAME(fabs)(NAME(load)(x + i));
        best = NAME(select)((a > best) & (a < INFINITY), a, best);
    }
    float result = 0;
    for (int lane = 0; lane < W; lane++) if (best[lane] > result) result = best[lane];
    for (; i < n; i++) {
        float a = fabsf(x[i]);
        if (a > result && a < INFINITY) result = a;
    }
    return result;
}

/// Per block: its mean, then Σ(x − mean)² corrected by (Σ(x − mean))²/n (two passes over a block
/// that is in L1, one pass over memory); blocks combine with Chan, Golub and LeVeque's update.
static TARGET void NAME(moments)(const float *x, size_t n, double *meanOut, double *m2Out) {
    double mean = 0, m2 = 0, count = 0;
    for (size_t start = 0; start < n; start += BLOCK) {
        size_t end = start + BLOCK < n ? start + BLOCK : n, blockCount = end - start;
        double blockMean = NAME(sum)(x + start, blockCount) / (double)blockCount;
        float centre = (float)blockMean;
        VF s0 = {0}, s1 = {0}, d0 = {0}, d1 = {0};
        size_t i = start;
        for (; i + 2 * W <= end; i += 2 * W) {
            VF a = NAME(load)(x + i) - centre, b = NAME(load)(x + i + W) - centre;
            s0 += a * a;
            s1 += b * b;
            d0 += a;
            d1 += b;
        }
        double squares = NAME(lanes_sum)(s0 + s1), deviations = NAME(lanes_sum)(d0 + d1);
        for (; i < end; i++) {
            double a = (double)x[i] - centre;
            squares += a * a;
            deviations += a;
        }
        double blockM2 = squares - deviations * deviations / (double)blockCount;
        double shiftedMean = centre + deviations / (double)blockCount;
        double delta = shiftedMean - mean, total = count + (double)blockCount;
        mean += delta * (double)blockCount / total;
        m2 += blockM2 + delta * delta * count * (double)blockCount / total;
        count = total;
    }
    *meanOut = mean;
    *m2Out = m2;
}

// MARK: - Quantization

static TARGET void NAME(quantize)(const float *x, int8_t *q, size_t n, float scale) {
    size_t i = 0;
    for (; i + W <= n; i += W) {
        VF v = NAME(load)(x + i) / scale;
        VI nan = v != v;
        v = NAME(select)(v > 127.0f, NAME(splat)(127.0f), v);
        v = NAME(select)(v < -127.0f, NAME(splat)(-127.0f), v);
        v = NAME(select)(nan, NAME(splat)(0.0f), NAME(round)(v));
        VI r = __builtin_convertvector(v, VI);
        for (int lane = 0; lane < W; lane++) q[i + lane] = (int8_t)r[lane];
    }
    for (; i < n; i++) {
        float v = x[i] / scale;
        q[i] = v != v ? 0 : (int8_t)rintf(v > 127.0f ? 127.0f : v < -127.0f ? -127.0f : v);
    }
}

static TARGET void NAME(dequantize)(const int8_t *q, float *y, size_t n, float scale) {
    size_t i = 0;
    for (; i + W <= n; i += W) {
        VI r;
        for (int lane = 0; lane < W; lane++) r[lane] = q[i + lane];
        NAME(store)(y + i, __builtin_convertvector(r, VF) * scale);
    }
    for (; i < n; i++) y[i] = (float)q[i] * scale;
}

// MARK: - Batched

static TARGET void NAME(dot)(const float *a, const float *b, size_t k, float *dot, float *rr) {
    VF s0 = {0}, s1 = {0}, q0 = {0}, q1 = {0};
    size_t i = 0;
    if (rr) {
        for (; i + 2 * W <= k; i += 2 * W) {
            VF b0 = NAME(load)(b + i), b1 = NAME(load)(b + i + W);
            s0 += NAME(load)(a + i) * b0;
            s1 += NAME(load)(a + i + W) * b1;
            q0 += b0 * b0;
            q1 += b1 * b1;
        }
    } else {
        for (; i + 2 * W <= k; i += 2 * W) {
            s0 += NAME(load)(a + i) * NAME(load)(b + i);
            s1 += NAME(load)(a + i + W) * NAME(load)(b + i + W);
        }
    }
    double d = NAME(lanes_sum)(s0 + s1), r = NAME(lanes_sum)(q0 + q1);
    for (; i < k; i++) {
        d += (double)a[i] * b[i];
        r += (double)b[i] * b[i];
    }
    *dot = (float)d;
    if (rr) *rr = (float)r;
}

const mybro_k_table NAME(mybro_k_table) = {
    .name = PATH_NAME,
    .sum = NAME(sum),
    .sum_wide = NAME(sum_wide),
    .scan_piece = NAME(scan_piece),
    .square_sum = NAME(square_sum),
    .abs_sum = NAME(abs_sum),
    .masked_sum = NAME(masked_sum),
    .threshold_count = NAME(threshold_count),
    .min = NAME(min),
    .max = NAME(max),
    .max_abs_finite = NAME(max_abs_finite),
    .moments = NAME(moments),
    .unary = NAME(unary),
    .binary = NAME(binary),
    .binary_scalar = NAME(binary_scalar),
    .quantize = NAME(quantize),
    .dequantize = NAME(dequantize),
    .dot = NAME(dot),
    .triad = NAME(triad),
};
