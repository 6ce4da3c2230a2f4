#version 450
// Element-wise maps: y = f(x) or y = x ∘ b (b a buffer or a scalar). exp, log and tanh are the
// CPU kernels' own range reductions and polynomials (kernels_body.h), not GLSL's built-ins, whose
// precision Vulkan leaves loose (3 + 2|x| ULP for exp; lavapipe's log and tanh were off by
// hundreds of ULP near 1 and 0): every vendor then gives the same few-ULP results. Special values
// are spelled out because GLSL leaves log of negatives and max/min with NaN undefined.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint n; uint op; float scalar; uint useScalar; } p;

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
    int n1 = ni >> 1;
    int n2 = ni - n1;
    return (q * intBitsToFloat((n1 + 127) << 23)) * intBitsToFloat((n2 + 127) << 23);
}

float log_poly(float v) {
    if (isnan(v) || v == INFINITY_VALUE) return v;
    if (v < 0.0f) return NAN_VALUE;
    if (v == 0.0f) return -INFINITY_VALUE;
    float e = 0.0f;
    if (v < 1.17549435e-38f) { v *= 8388608.0f; e = -23.0f; }  // denormals (where the device keeps them)
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
    float t = 1.0f - 2.0f / (exp_poly(a + a) + 1.0f);
    return v < 0.0f ? -t : t;
}

float apply(float v, float w) {
    switch (p.op) {
    case 0u: return exp_poly(v);
    case 1u: return log_poly(v);
    case 2u: {  // sigmoid as e/(1 + e) for negative x, so tiny results stay accurate
        if (isnan(v)) return v;
        float e = exp_poly(-abs(v));
        return (v < 0.0f ? e : 1.0f) / (1.0f + e);
    }
    case 3u: return tanh_poly(v);
    case 4u: return v < 0.0f ? 0.0f : v;  // relu keeps NaN and −0
    case 5u: return abs(v);
    case 6u: return -v;
    case 7u: return v;
    case 8u: return v + w;
    case 9u: return v - w;
    case 10u: return v * w;
    default: return v / w;
    }
}

void main() {
    uint stride = gl_NumWorkGroups.x * 256u;
    for (uint i = gl_GlobalInvocationID.x; i < p.n; i += stride) {
        float w = p.useScalar != 0u ? p.scalar : b[i];
        y[i] = apply(x[i], w);
    }
}
