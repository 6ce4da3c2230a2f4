#version 450
// Batched products, one workgroup per row (rows strided over the dispatch): dot of row r of x
// with row r of b, or (cosine) of row r of x with the query b[0..k), divided by the norms; the
// query's squared norm comes from the host (computed once, in double).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 1) readonly buffer B { float b[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint rows; uint cosine; float queryNorm2; uint k; } p;

shared float dots[256];
shared float norms[256];

void main() {
    uint local = gl_LocalInvocationID.x;
    for (uint row = gl_WorkGroupID.x; row < p.rows; row += gl_NumWorkGroups.x) {
        uint base = row * p.k;
        uint other = p.cosine != 0u ? 0u : base;
        float dot = 0.0f, norm = 0.0f;
        for (uint i = local; i < p.k; i += 256u) {
            float v = x[base + i];
            dot += v * b[other + i];
            norm += v * v;
        }
        dots[local] = dot;
        norms[local] = norm;
        barrier();
        for (uint width = 128u; width > 0u; width >>= 1) {
            if (local < width) {
                dots[local] += dots[local + width];
                norms[local] += norms[local + width];
            }
            barrier();
        }
        if (local == 0u) y[row] = p.cosine != 0u ? dots[0] / sqrt(p.queryNorm2 * norms[0]) : dots[0];
        barrier();
    }
}
