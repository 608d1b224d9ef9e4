// Exclusive prefix sum of uint values, first level: each work group scans its block of WORKGROUP_SIZE * ITEMS
// values in place and writes the block's total to blockSums; PrefixSum.java scans blockSums recursively and
// add_block_offsets.comp adds them back. Each thread owns ITEMS consecutive values, so the scan order is the
// element order.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) buffer Values { uint values[]; };
layout(std430, binding = 1) writeonly buffer BlockSums { uint blockSums[]; };
layout(location = 0) uniform uint uCount;

shared uint sPartial[WORKGROUP_SIZE];

void main() {
    uint t = gl_LocalInvocationID.x;
    uint base = gl_WorkGroupID.x * (WORKGROUP_SIZE * ITEMS) + t * ITEMS;
    uint local[ITEMS];
    uint sum = 0u;
    for (uint i = 0u; i < ITEMS; i++) {
        uint v = base + i < uCount ? values[base + i] : 0u;
        local[i] = sum;
        sum += v;
    }
    sPartial[t] = sum;
    barrier();
    // Hillis-Steele inclusive scan of the per-thread sums
    for (uint offset = 1u; offset < WORKGROUP_SIZE; offset <<= 1) {
        uint add = t >= offset ? sPartial[t - offset] : 0u;
        barrier();
        sPartial[t] += add;
        barrier();
    }
    uint before = t == 0u ? 0u : sPartial[t - 1u];
    for (uint i = 0u; i < ITEMS; i++) {
        if (base + i < uCount) {
            values[base + i] = before + local[i];
        }
    }
    if (t == WORKGROUP_SIZE - 1u) {
        blockSums[gl_WorkGroupID.x] = sPartial[t];
    }
}
