// Radix sort pass, step 2: moves each (key, value) to its sorted slot for this digit, stably. A key's slot is the
// scanned histogram entry of its (digit, block) plus the number of equal digits before it in the block. That rank
// comes from a block-local exclusive scan of per-thread digit counts laid out digit major ([digit][thread]), so
// earlier threads, and earlier items of the same thread, come first: input order is kept among equal digits.
layout(local_size_x = WORKGROUP_SIZE) in;

#define RADIX (1u << RADIX_BITS)
#define CELLS (RADIX * WORKGROUP_SIZE)
#define CELLS_PER_THREAD (CELLS / WORKGROUP_SIZE)

layout(std430, binding = 0) readonly buffer KeysIn { uint keysIn[]; };
layout(std430, binding = 1) readonly buffer ValuesIn { uint valuesIn[]; };
layout(std430, binding = 2) writeonly buffer KeysOut { uint keysOut[]; };
layout(std430, binding = 3) writeonly buffer ValuesOut { uint valuesOut[]; };
layout(std430, binding = 4) readonly buffer Histogram { uint hist[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uShift;
layout(location = 2) uniform uint uBlocks;

#include "sort/radix_common.glsl"

#define BLOCK (WORKGROUP_SIZE * ITEMS)

shared uint sCells[CELLS];
shared uint sStage[BLOCK];  // coalesced global reads, then each thread takes its ITEMS consecutive entries
shared uint sPartial[WORKGROUP_SIZE];

void main() {
    uint t = gl_LocalInvocationID.x;
    uint blockStart = gl_WorkGroupID.x * BLOCK;
    uint count = keyCount();
    if (digitIsConstant()) {
        for (uint i = 0u; i < ITEMS; i++) {
            uint k = blockStart + i * WORKGROUP_SIZE + t;
            if (k < count) {
                keysOut[k] = keysIn[k];
                valuesOut[k] = valuesIn[k];
            }
        }
        return;
    }
    for (uint i = 0u; i < ITEMS; i++) {
        uint k = blockStart + i * WORKGROUP_SIZE + t;
        sStage[i * WORKGROUP_SIZE + t] = k < count ? keysIn[k] : 0u;
    }
    barrier();
    uint base = blockStart + t * ITEMS;
    uint myKeys[ITEMS];
    uint counts[RADIX];
    for (uint d = 0u; d < RADIX; d++) {
        counts[d] = 0u;
    }
    for (uint i = 0u; i < ITEMS; i++) {
        myKeys[i] = sStage[t * ITEMS + i];
        if (base + i < count) {
            counts[(myKeys[i] >> uShift) & (RADIX - 1u)]++;
        }
    }
    for (uint d = 0u; d < RADIX; d++) {
        sCells[d * WORKGROUP_SIZE + t] = counts[d];
    }
    barrier();
    // exclusive scan of the CELLS entries in digit-major order: each thread a contiguous run, then the run sums
    uint runStart = t * CELLS_PER_THREAD;
    uint sum = 0u;
    for (uint c = 0u; c < CELLS_PER_THREAD; c++) {
        uint v = sCells[runStart + c];
        sCells[runStart + c] = sum;
        sum += v;
    }
    sPartial[t] = sum;
    barrier();
    for (uint offset = 1u; offset < WORKGROUP_SIZE; offset <<= 1) {
        uint add = t >= offset ? sPartial[t - offset] : 0u;
        barrier();
        sPartial[t] += add;
        barrier();
    }
    uint before = t == 0u ? 0u : sPartial[t - 1u];
    for (uint c = 0u; c < CELLS_PER_THREAD; c++) {
        sCells[runStart + c] += before;
    }
    barrier();
    // stage the values the same way, now that the keys are in registers
    for (uint i = 0u; i < ITEMS; i++) {
        uint k = blockStart + i * WORKGROUP_SIZE + t;
        sStage[i * WORKGROUP_SIZE + t] = k < count ? valuesIn[k] : 0u;
    }
    barrier();
    for (uint d = 0u; d < RADIX; d++) {
        // rank among this block's keys of digit d = cell(d, t) - cell(d, 0)
        counts[d] = hist[d * uBlocks + gl_WorkGroupID.x] + sCells[d * WORKGROUP_SIZE + t]
                - sCells[d * WORKGROUP_SIZE];
    }
    for (uint i = 0u; i < ITEMS; i++) {
        if (base + i < count) {
            uint d = (myKeys[i] >> uShift) & (RADIX - 1u);
            uint slot = counts[d]++;
            keysOut[slot] = myKeys[i];
            valuesOut[slot] = sStage[t * ITEMS + i];
        }
    }
}
