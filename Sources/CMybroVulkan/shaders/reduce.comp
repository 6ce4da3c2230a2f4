#version 450
// One partial per workgroup: sum, sum of squares, min or max over a grid-stride share of x, then
// a tree in shared memory; partial[2g] is the value, partial[2g + 1] 1 when a NaN was seen.
// The host adds the partials in double.
#include "float_controls.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform Parameters { uint n; uint kind; float unused; uint unused2; } p;

shared float values[256];
shared uint sawNaN;

float combine(float a, float b) {
    if (p.kind == 2u) return min(a, b);
    if (p.kind == 3u) return max(a, b);
    return a + b;
}

void main() {
    uint local = gl_LocalInvocationID.x;
    if (local == 0u) sawNaN = 0u;
    barrier();
    float identity = p.kind == 2u ? uintBitsToFloat(0x7f800000u) : p.kind == 3u ? uintBitsToFloat(0xff800000u) : 0.0f;
    // Four accumulators over elements a stride apart: four independent loads in flight per
    // invocation (a GPU's memory latency needs them), and shorter float sums.
    float a0 = identity, a1 = identity, a2 = identity, a3 = identity;
    bool nan = false;
    uint stride = gl_NumWorkGroups.x * 256u;
    uint i = gl_GlobalInvocationID.x;
    for (; p.n > 3u * stride && i < p.n - 3u * stride; i += 4u * stride) {
        float v0 = x[i], v1 = x[i + stride], v2 = x[i + 2u * stride], v3 = x[i + 3u * stride];
        nan = nan || any(isnan(vec4(v0, v1, v2, v3)));
        a0 = combine(a0, p.kind == 1u ? v0 * v0 : v0);
        a1 = combine(a1, p.kind == 1u ? v1 * v1 : v1);
        a2 = combine(a2, p.kind == 1u ? v2 * v2 : v2);
        a3 = combine(a3, p.kind == 1u ? v3 * v3 : v3);
    }
    for (; i < p.n; i += stride) {
        float v = x[i];
        nan = nan || isnan(v);
        a0 = combine(a0, p.kind == 1u ? v * v : v);
    }
    float accumulator = combine(combine(a0, a1), combine(a2, a3));
    if (nan) atomicOr(sawNaN, 1u);
    values[local] = accumulator;
    barrier();
    for (uint width = 128u; width > 0u; width >>= 1) {
        if (local < width) values[local] = combine(values[local], values[local + width]);
        barrier();
    }
    if (local == 0u) {
        partial[2u * gl_WorkGroupID.x] = values[0];
        partial[2u * gl_WorkGroupID.x + 1u] = float(sawNaN);
    }
}
