#version 450
// Many queries against many rows: y[r·q + j] = x_r·query_j / (|x_r| |query_j|), a matrix product
// with its norms folded in. Unlike one query (batched.comp), which reads each row once for 2 FLOPs
// a value and so is bound by memory, this reuses every loaded value 128 times from shared memory
// and 8 times from registers, so the card's arithmetic sets the pace.
//
// A workgroup owns a 128-row × 128-query tile of y; each of its 256 invocations owns 8 × 8 of it
// in registers: rows 4·ty…4·ty+3 and 64+4·ty…, queries likewise by tx, so that a warp's reads of
// the shared slices are consecutive 16-byte vectors. k advances STEP values at a time: both
// 128 × STEP slices are staged in shared memory, transposed, in one of two buffers while the other
// is multiplied, and the slices after them are already loading into registers. The same shared
// slices give the squared norms: invocation t sums column t of the two slices (rows, then
// queries), STEP FMAs a step against the tile's 64·STEP, and no second read of x or the queries.
//
// Measured on an H200 (512 queries of 768): 32.6 TFLOP/s, 61 % of what peak.comp's FMA chains
// reach there. Every fixed loop is marked [[unroll]]: without it NVIDIA's compiler kept the
// accumulators in memory (2.4 TFLOP/s); scalar loads and 8 contiguous values per invocation gave
// 22.3.
#include "float_controls.glsl"
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x = 256) in;
// 8 values of k a step: on an H200, 16 took 8–10 % longer (double-buffered either way).
const uint STEP = 8u;
// Each input seen twice, as floats and as vectors of 4 (one descriptor, two views).
layout(std430, binding = 0) readonly buffer X { float x[]; };
layout(std430, binding = 0) readonly buffer X4 { vec4 x4[]; };
layout(std430, binding = 1) readonly buffer Q { float queries[]; };
layout(std430, binding = 1) readonly buffer Q4 { vec4 queries4[]; };
layout(std430, binding = 2) writeonly buffer Y { float y[]; };
layout(push_constant) uniform Parameters { uint rows; uint count; uint k; uint unused; } p;

const uint TILE = 128u;
const uint LOADS = STEP / 8u;  // vectors of 4 each invocation loads per slice and step

shared vec4 rowSlice[2][STEP][TILE / 4u];
shared vec4 querySlice[2][STEP][TILE / 4u];
shared float norms[2u * TILE];

/// Values at..at+3 of the line starting at `base` (zero past k, or past the last line): one
/// 16-byte load where k is a multiple of 4, so every line starts on a vector.
vec4 load(bool rows, bool inside, uint base, uint at) {
    if (!inside || at >= p.k) return vec4(0.0f);
    if ((p.k & 3u) == 0u) return rows ? x4[(base + at) >> 2] : queries4[(base + at) >> 2];
    vec4 v = vec4(0.0f);
    [[unroll]] for (uint c = 0u; c < 4u; c++)
        if (at + c < p.k) v[c] = rows ? x[base + at + c] : queries[base + at + c];
    return v;
}

/// Writes an invocation's loaded values, transposed, into shared buffer `target`.
void stage(uint target, uint line, uint offset, vec4 rowValues[LOADS], vec4 queryValues[LOADS]) {
    [[unroll]] for (uint l = 0u; l < LOADS; l++)
        [[unroll]] for (uint c = 0u; c < 4u; c++) {
            rowSlice[target][offset + 4u * l + c][line >> 2][line & 3u] = rowValues[l][c];
            querySlice[target][offset + 4u * l + c][line >> 2][line & 3u] = queryValues[l][c];
        }
}

void main() {
    uint local = gl_LocalInvocationID.x;
    uint firstRow = gl_WorkGroupID.y * TILE;
    uint firstQuery = gl_WorkGroupID.x * TILE;
    // Invocation t loads STEP/2 consecutive k-values of row (and query) t / 2, at STEP/2·(t % 2).
    uint loadLine = local >> 1;
    uint loadOffset = (local & 1u) * (STEP / 2u);
    uint row = firstRow + loadLine, query = firstQuery + loadLine;
    bool rowInside = row < p.rows, queryInside = query < p.count;
    uint rowBase = row * p.k, queryBase = query * p.k;
    uint ty = local / 16u, tx = local % 16u;

    vec4 accumulator[8][2];
    [[unroll]] for (uint i = 0u; i < 8u; i++) {
        accumulator[i][0] = vec4(0.0f);
        accumulator[i][1] = vec4(0.0f);
    }
    float norm = 0.0f;

    // Slice 0 into shared buffer 0; slice 1 on its way into registers.
    vec4 rowNext[LOADS], queryNext[LOADS];
    [[unroll]] for (uint l = 0u; l < LOADS; l++) {
        rowNext[l] = load(true, rowInside, rowBase, loadOffset + 4u * l);
        queryNext[l] = load(false, queryInside, queryBase, loadOffset + 4u * l);
    }
    stage(0u, loadLine, loadOffset, rowNext, queryNext);
    barrier();
    [[unroll]] for (uint l = 0u; l < LOADS; l++) {
        rowNext[l] = load(true, rowInside, rowBase, STEP + loadOffset + 4u * l);
        queryNext[l] = load(false, queryInside, queryBase, STEP + loadOffset + 4u * l);
    }
    uint current = 0u;
    for (uint start = 0u; start < p.k; start += STEP) {
        [[unroll]] for (uint s = 0u; s < STEP; s++) {
            uint column = local & (TILE - 1u);
            float own = local < TILE ? rowSlice[current][s][column >> 2][column & 3u]
                                     : querySlice[current][s][column >> 2][column & 3u];
            norm = fma(own, own, norm);
            vec4 a0 = rowSlice[current][s][ty], a1 = rowSlice[current][s][16u + ty];
            vec4 b0 = querySlice[current][s][tx], b1 = querySlice[current][s][16u + tx];
            [[unroll]] for (uint i = 0u; i < 4u; i++) {
                accumulator[i][0] = fma(vec4(a0[i]), b0, accumulator[i][0]);
                accumulator[i][1] = fma(vec4(a0[i]), b1, accumulator[i][1]);
                accumulator[4u + i][0] = fma(vec4(a1[i]), b0, accumulator[4u + i][0]);
                accumulator[4u + i][1] = fma(vec4(a1[i]), b1, accumulator[4u + i][1]);
            }
        }
        // Two shared buffers: the next slice goes into the one nobody reads now (its readers all
        // passed the last barrier), so one barrier a step suffices.
        if (start + STEP < p.k) stage(current ^ 1u, loadLine, loadOffset, rowNext, queryNext);
        barrier();
        current ^= 1u;
        uint after = start + 2u * STEP;
        if (after < p.k) {
            [[unroll]] for (uint l = 0u; l < LOADS; l++) {
                rowNext[l] = load(true, rowInside, rowBase, after + loadOffset + 4u * l);
                queryNext[l] = load(false, queryInside, queryBase, after + loadOffset + 4u * l);
            }
        }
    }
    // The norms' square roots apart, so their product cannot overflow where the squares' would.
    norms[local] = sqrt(norm);
    barrier();
    [[unroll]] for (uint i = 0u; i < 8u; i++) {
        uint tileRow = (i < 4u ? 0u : 64u) + 4u * ty + (i & 3u);
        uint r = firstRow + tileRow;
        float rowNorm = norms[tileRow];
        [[unroll]] for (uint side = 0u; side < 2u; side++)
            [[unroll]] for (uint c = 0u; c < 4u; c++) {
                uint tileQuery = 64u * side + 4u * tx + c;
                uint q = firstQuery + tileQuery;
                // 0/0 where a norm is 0: NaN, as on the CPU.
                if (r < p.rows && q < p.count)
                    y[r * p.count + q] = accumulator[i][side][c] / (rowNorm * norms[TILE + tileQuery]);
            }
    }
}
