// Sums partial[0 .. uCount) into result[uSlot] with one work group, in a fixed order (deterministic).
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) buffer Result { float result[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uSlot;

shared float sSum[256];

void main() {
    uint t = gl_LocalInvocationIndex;
    float s = 0.0;
    for (uint i = t; i < uCount; i += 256u) {
        s += partial[i];
    }
    sSum[t] = s;
    barrier();
    for (uint k = 128u; k > 0u; k >>= 1) {
        if (t < k) {
            sSum[t] += sSum[t + k];
        }
        barrier();
    }
    if (t == 0u) {
        result[uSlot] += sSum[0];
    }
}
