// Radix sort pass, step 1: per block, how many keys have each RADIX_BITS-wide digit at bit uShift. Written digit
// major (hist[digit * blocks + block]) so that one exclusive scan of hist gives every (digit, block) its first
// output slot, in the order that keeps the sort stable.
layout(local_size_x = WORKGROUP_SIZE) in;

#define RADIX (1u << RADIX_BITS)

layout(std430, binding = 0) readonly buffer Keys { uint keys[]; };
layout(std430, binding = 1) writeonly buffer Histogram { uint hist[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uShift;
layout(location = 2) uniform uint uBlocks;

#include "sort/radix_common.glsl"

shared uint sCount[RADIX];

void main() {
    if (digitIsConstant()) {
        return; // radix_scatter.comp copies this pass through; the histogram is not read
    }
    uint count = keyCount();
    uint t = gl_LocalInvocationID.x;
    if (t < RADIX) {
        sCount[t] = 0u;
    }
    barrier();
    // counting ignores order: read with a stride of the work group so neighbouring threads read neighbouring keys
    uint base = gl_WorkGroupID.x * (WORKGROUP_SIZE * ITEMS) + t;
    for (uint i = 0u; i < ITEMS; i++) {
        uint k = base + i * WORKGROUP_SIZE;
        if (k < count) {
            atomicAdd(sCount[(keys[k] >> uShift) & (RADIX - 1u)], 1u);
        }
    }
    barrier();
    if (t < RADIX) {
        hist[t * uBlocks + gl_WorkGroupID.x] = sCount[t];
    }
}
