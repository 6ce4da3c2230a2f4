#version 450
// Batched products: dot of row r of x with row r of b, or (cosine) of row r of x with the query
// b[0..k), divided by the norms; the query's squared norm comes from the host (computed once, in
// double). A workgroup takes 8 rows at a time, 32 invocations to a row: a row of a few hundred
// values then keeps each invocation busy with several loads in flight, where one workgroup per
// row left most of 256 invocations idle and paid a 256-wide tree per row.
#include "float_controls.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint rows; uint cosine; float queryNorm2; uint k; } p;

const uint LANES = 32u;
const uint ROWS_PER_GROUP = 256u / LANES;

shared float dots[256];
shared float norms[256];

void main() {
    uint local = gl_LocalInvocationID.x;
    uint lane = local % LANES;
    uint slot = local / LANES;
    // The loop bound is the same for the whole workgroup, so every invocation meets each barrier.
    for (uint first = gl_WorkGroupID.x * ROWS_PER_GROUP; first < p.rows; first += gl_NumWorkGroups.x * ROWS_PER_GROUP) {
        uint row = first + slot;
        // Four values of the row a lane stride apart per trip, loaded together: on an H200 two
        // left the cosine (one stream, the query cached) at 77 % of the copy bandwidth.
        vec4 d = vec4(0.0f), n = vec4(0.0f);
        if (row < p.rows) {
            uint base = row * p.k;
            uint other = p.cosine != 0u ? 0u : base;
            uint i = lane;
            for (; i + 3u * LANES < p.k; i += 4u * LANES) {
                vec4 v = vec4(x[base + i], x[base + i + LANES], x[base + i + 2u * LANES], x[base + i + 3u * LANES]);
                vec4 w = vec4(b[other + i], b[other + i + LANES], b[other + i + 2u * LANES], b[other + i + 3u * LANES]);
                d = fma(v, w, d);
                n = fma(v, v, n);
            }
            for (; i < p.k; i += LANES) {
                float v = x[base + i];
                d.x = fma(v, b[other + i], d.x);
                n.x = fma(v, v, n.x);
            }
        }
        dots[local] = (d.x + d.y) + (d.z + d.w);
        norms[local] = (n.x + n.y) + (n.z + n.w);
        barrier();
        for (uint width = LANES / 2u; width > 0u; width >>= 1) {
            if (lane < width) {
                dots[local] += dots[local + width];
                norms[local] += norms[local + width];
            }
            barrier();
        }
        if (lane == 0u && row < p.rows) y[row] = p.cosine != 0u ? dots[local] / sqrt(p.queryNorm2 * norms[local]) : dots[local];
        barrier();
    }
}
