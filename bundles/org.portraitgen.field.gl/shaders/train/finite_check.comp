// Sets bit uBit of flags[0] when any of values[uOffset .. uOffset + uCount) is NaN or infinite: one optimiser
// group's gradients, checked on the GPU so the host reads one int per step instead of the gradients.
layout(local_size_x = 256) in;

#include "common/finite.glsl"

layout(std430, binding = 0) readonly buffer Values { float values[]; };
layout(std430, binding = 1) buffer Flags { uint flags[]; };
layout(location = 0) uniform uint uOffset;
layout(location = 1) uniform uint uCount;
layout(location = 2) uniform uint uBit;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < uCount && !isFiniteBits(values[uOffset + i])) {
        atomicOr(flags[0], 1u << uBit);
    }
}
