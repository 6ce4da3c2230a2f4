#version 450
// Element-wise maps: y = f(x) or y = x ∘ b (b a buffer or a scalar). exp, log and tanh are the
// CPU kernels' own range reductions and polynomials (kernels_body.h), not GLSL's built-ins, whose
// precision Vulkan leaves loose (3 + 2|x| ULP for exp; lavapipe's log and tanh were off by
// hundreds of ULP near 1 and 0): every vendor then gives the same few-ULP results. Special values
// are spelled out because GLSL leaves log of negatives and max/min with NaN undefined; relu, abs
// and neg work on the bits, which no driver's float optimisations or flushing can touch.
#include "float_controls.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint n; uint op; float scalar; uint useScalar; } p;
// The operation is a specialization constant, not the push constant's op: the host makes one
// pipeline per operation, so the driver compiles each without the others' branches. On an H200 the
// switch on p.op cost the transcendental maps and the division up to a tenth of their bandwidth.
layout(constant_id = 0) const uint OPERATION = 7u;

#define NAN_VALUE uintBitsToFloat(0x7fc00000u)
#define INFINITY_VALUE uintBitsToFloat(0x7f800000u)

float exp_poly(float v) {
    if (isnan(v)) return v;
    float x = clamp(v, -104.0f, 89.0f);
    float n = floor(fma(x, 1.44269504088896341f, 0.5f));
    // Two-constant (Cody–Waite) reduction with separate products: llvmpipe's fma() here lost the
    // second constant (17 ULP at x = −18); precise keeps the compiler from fusing it again.
    precise float r = x - n * 0.693359375f;
    r = r + n * 2.12194440e-4f;
    precise float q = 1.9875691500e-4f;
    q = fma(q, r, 1.3981999507e-3f);
    q = fma(q, r, 8.3334519073e-3f);
    q = fma(q, r, 4.1665795894e-2f);
    q = fma(q, r, 1.6666665459e-1f);
    q = fma(q, r, 5.0000001201e-1f);
    q = fma(q, r * r, r + 1.0f);
    int ni = int(n);
    if (ni < -125) {
        // A subnormal result, built in integers: q·2^(n+149) is exact, its rounding to an integer
        // k is the one rounding an IEEE product makes, and k·2^−149 has the bits k. A float
        // product would be flushed to 0 by a driver that flushes subnormals (NVIDIA's).
        return uintBitsToFloat(uint(roundEven(q * intBitsToFloat((ni + 149 + 127) << 23))));
    }
    int n1 = ni >> 1;
    int n2 = ni - n1;
    return (q * intBitsToFloat((n1 + 127) << 23)) * intBitsToFloat((n2 + 127) << 23);
}

float log_poly(float v) {
    // Classified on the bits, which a driver that flushes subnormals cannot turn into zeros.
    uint raw = floatBitsToUint(v);
    uint magnitude = raw & 0x7fffffffu;
    if (magnitude > 0x7f800000u || raw == 0x7f800000u) return v;  // NaN, +inf
    if (magnitude == 0u) return -INFINITY_VALUE;
    if (raw >= 0x80000000u) return NAN_VALUE;  // below zero, −inf included
    float e = 0.0f;
    if (magnitude < 0x00800000u) {
        // A subnormal m·2^−149: log m − 149·ln 2, m converted exactly from the integer bits.
        v = float(magnitude);
        e = -149.0f;
    }
    int bits = floatBitsToInt(v);
    e += float(((bits >> 23) & 0xff) - 126);
    float m = intBitsToFloat((bits & 0x007fffff) | 0x3f000000);
    if (m < 0.707106781186547524f) { e -= 1.0f; m = m + m - 1.0f; } else { m = m - 1.0f; }
    float z = m * m;
    precise float q = 7.0376836292e-2f;
    q = fma(q, m, -1.1514610310e-1f);
    q = fma(q, m, 1.1676998740e-1f);
    q = fma(q, m, -1.2420140846e-1f);
    q = fma(q, m, 1.4249322787e-1f);
    q = fma(q, m, -1.6668057665e-1f);
    q = fma(q, m, 2.0000714765e-1f);
    q = fma(q, m, -2.4999993993e-1f);
    q = fma(q, m, 3.3333331174e-1f);
    precise float y = q * m * z;
    y = fma(e, -2.12194440e-4f, y);
    y = fma(-0.5f, z, y);
    return fma(e, 0.693359375f, m + y);
}

float divide(float v, float w);

float tanh_poly(float v) {
    if (isnan(v)) return v;
    float a = abs(v);
    if (a < 0.625f) {
        if (v == 0.0f) return v;
        float z = v * v;
        float q = -5.70498872745e-3f;
        q = fma(q, z, 2.06390887954e-2f);
        q = fma(q, z, -5.37397155531e-2f);
        q = fma(q, z, 1.33314422036e-1f);
        q = fma(q, z, -3.33332819422e-1f);
        return fma(q * z, v, v);
    }
    // q = 2/d in [0, 0.445], then 1 − q. NVIDIA's own division (up to 2 ULP off) left tanh at
    // 1.45 ULP on the H200, where numpy shows 1.37; the correctly rounded divide() gave 1.33 but
    // halved tanh's speed there (58 % of the copy bandwidth). One Newton step from the residual
    // 2 − q·d is enough here: with a fused fma (NVIDIA's) the residual is exact and q within about
    // half an ULP; an unfused one (lavapipe's, whose division is exact anyway) errs by under an
    // ULP of q, half an ULP of the result, since 1 − q ≥ 0.555. 1/d is taken as q/2.
    float d = exp_poly(a + a) + 1.0f;
    float q = 2.0f / d;
    if (!isinf(d)) q = fma(fma(-q, d, 2.0f), 0.5f * q, q);
    float t = 1.0f - q;
    return v < 0.0f ? -t : t;
}

// v − q·w exactly: Dekker's product with Veltkamp's split (w already split into wh + wl). GLSL's
// fma need not be fused (lavapipe's is not), so plain products are used, kept by precise from
// being fused or reassociated.
float residual(float v, float q, float w, float wh, float wl) {
    precise float t = 4097.0f * q;
    precise float qh = t - (t - q);
    precise float ql = q - qh;
    precise float product = q * w;
    precise float error = ((qh * wh - product) + qh * wl + ql * wh) + ql * wl;
    precise float r = (v - product) - error;
    return r;
}

// v / w correctly rounded, as numpy's: Vulkan lets a driver's division be 2.5 ULP off (NVIDIA's
// was up to 2 ULP off in a third of cases). Two corrections from the exact residual: one left a
// few in 10^7 quotients misrounded when the driver's quotient and reciprocal were both 2 ULP off,
// two none (Benchmarks/kernel/divide_check.c). Where a value is extreme (|w| outside
// [2^−100, 2^100], |v| outside [2^−76, 2^125], |q| outside [2^−100, 2^100]) or special, the
// split could overflow or a partial product fall below 2^−126, where a driver that flushes
// subnormals (the plain build) would zero it and the correction would do harm; there the
// driver's quotient stands.
float divide(float v, float w) {
    float q = v / w;
    if (isnan(q) || isinf(q) || abs(w) < 7.888609e-31f || abs(w) > 1.2676506e30f || abs(v) < 1.3234889e-23f
        || abs(v) > 4.2535296e37f || abs(q) < 7.888609e-31f || abs(q) > 1.2676506e30f)
        return q;
    precise float t = 4097.0f * w;
    precise float wh = t - (t - w);
    precise float wl = w - wh;
    float y = 1.0f / w;
    precise float once = q + residual(v, q, w, wh, wl) * y;
    precise float twice = once + residual(v, once, w, wh, wl) * y;
    return twice;
}

float apply(float v, float w) {
    switch (OPERATION) {
    case 0u: return exp_poly(v);
    case 1u: return log_poly(v);
    case 2u: {  // sigmoid as e/(1 + e) for negative x, so tiny results stay accurate
        if (isnan(v)) return v;
        float e = exp_poly(-abs(v));
        // Below −17, 1 + e rounds to 1 and the quotient is e itself: returned as is, so a
        // subnormal e is not flushed by the division.
        if (v < -17.0f) return e;
        return (v < 0.0f ? e : 1.0f) / (1.0f + e);
    }
    case 3u: return tanh_poly(v);
    case 4u: {  // relu keeps NaN and −0: only a negative number's bits lie in (−0, −inf]
        uint bits = floatBitsToUint(v);
        return bits > 0x80000000u && bits <= 0xff800000u ? 0.0f : v;
    }
    case 5u: return uintBitsToFloat(floatBitsToUint(v) & 0x7fffffffu);
    case 6u: return uintBitsToFloat(floatBitsToUint(v) ^ 0x80000000u);
    case 7u: return v;
    case 8u: return v + w;
    case 9u: return v - w;
    case 10u: return v * w;
    default: return divide(v, w);
    }
}

// UNROLL elements a stride apart per trip, all loaded before any is stored: that many loads in
// flight per invocation, which a GPU needs to cover its memory latency at full bandwidth. On an
// H200, 4 moved 3.4–3.9 TB/s for one input (from 2.3–2.6 at 1); 8 moved less (3.0–3.5), its
// invocations holding more registers.
const uint UNROLL = 4u;

void main() {
    uint stride = gl_NumWorkGroups.x * 256u;
    uint i = gl_GlobalInvocationID.x;
    for (; p.n > (UNROLL - 1u) * stride && i < p.n - (UNROLL - 1u) * stride; i += UNROLL * stride) {
        float v[UNROLL], w[UNROLL];
        for (uint k = 0u; k < UNROLL; k++) {
            v[k] = x[i + k * stride];
            w[k] = p.useScalar != 0u ? p.scalar : b[i + k * stride];
        }
        for (uint k = 0u; k < UNROLL; k++) y[i + k * stride] = apply(v[k], w[k]);
    }
    for (; i < p.n; i += stride) {
        float w = p.useScalar != 0u ? p.scalar : b[i];
        y[i] = apply(x[i], w);
    }
}
