// Sets bit uBit of flags[0] when values[uIndex], read as a uint, is above uOperand (uMode 0: a tile-pair count
// against its buffers' capacity; a negative count reads as a huge uint) or differs from it (uMode 1: a status word
// against its "no problem" value). With finite_check.comp these flags hold a training step's every reason not to
// update the parameters, on the GPU, so the update can run before the host has read them.
layout(local_size_x = 1) in;

layout(std430, binding = 0) readonly buffer Values { uint values[]; };
layout(std430, binding = 1) buffer Flags { uint flags[]; };
layout(location = 0) uniform uint uIndex;
layout(location = 1) uniform uint uOperand;
layout(location = 2) uniform uint uBit;
layout(location = 3) uniform uint uMode;

void main() {
    uint v = values[uIndex];
    bool flagged = uMode == 0u ? v > uOperand : v != uOperand;
    if (flagged) {
        atomicOr(flags[0], 1u << uBit);
    }
}
