// Second level of the exclusive prefix sum: adds each block's scanned offset to its values.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) buffer Values { uint values[]; };
layout(std430, binding = 1) readonly buffer BlockOffsets { uint blockOffsets[]; };
layout(location = 0) uniform uint uCount;

void main() {
    uint offset = blockOffsets[gl_WorkGroupID.x];
    uint base = gl_WorkGroupID.x * (WORKGROUP_SIZE * ITEMS) + gl_LocalInvocationID.x * ITEMS;
    for (uint i = 0u; i < ITEMS; i++) {
        if (base + i < uCount) {
            values[base + i] += offset;
        }
    }
}
