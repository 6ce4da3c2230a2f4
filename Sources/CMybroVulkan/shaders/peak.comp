#version 450
// The device's own fp32 arithmetic rate, the yardstick for the cosines' GFLOP/s as the copy kernel
// is for the maps' bandwidth: each invocation runs 16 independent FMA chains (enough in flight to
// hide an FMA's latency) for `steps` trips of 4 rounds and writes their sum, so none of it can be folded away.
// multiplier and addend come from the host and keep every chain finite (x → 0.9999·x + 1e-4).
#include "float_controls.glsl"
layout(local_size_x = 256) in;
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint steps; uint unused; float multiplier; float addend; } p;

void main() {
    float chain[16];
    for (uint c = 0u; c < 16u; c++) chain[c] = float(gl_GlobalInvocationID.x + c) * 1e-6f;
    // Four rounds a trip, so the loop's own count and branch are a small share of the issue slots.
    for (uint s = 0u; s < p.steps; s++)
        for (uint round = 0u; round < 4u; round++)
            for (uint c = 0u; c < 16u; c++) chain[c] = fma(chain[c], p.multiplier, p.addend);
    float total = 0.0f;
    for (uint c = 0u; c < 16u; c++) total += chain[c];
    y[gl_GlobalInvocationID.x] = total;
}
