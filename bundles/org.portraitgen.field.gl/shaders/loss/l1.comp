// weight * mean |pred - target| over uCount values: adds uScale * sign(pred - target) into grad (uScale = weight /
// n) and writes this work group's share of the loss, uScale * sum |pred - target|, to partial[uPartial + group].
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Pred { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) buffer Grad { float grad[]; };
layout(std430, binding = 3) buffer Partial { float partial[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uPredOffset;
layout(location = 2) uniform uint uTargetOffset;
layout(location = 3) uniform uint uGradOffset;
layout(location = 4) uniform float uScale;
layout(location = 5) uniform uint uPartial;

shared float sSum[256];

void main() {
    uint i = gl_GlobalInvocationID.x;
    float a = 0.0;
    if (i < uCount) {
        float d = pred[uPredOffset + i] - target[uTargetOffset + i];
        a = abs(d);
        grad[uGradOffset + i] += d > 0.0 ? uScale : d < 0.0 ? -uScale : 0.0;
    }
    uint t = gl_LocalInvocationIndex;
    sSum[t] = a;
    barrier();
    for (uint s = 128u; s > 0u; s >>= 1) {
        if (t < s) {
            sSum[t] += sSum[t + s];
        }
        barrier();
    }
    if (t == 0u) {
        partial[uPartial + gl_WorkGroupID.x] = uScale * sSum[0];
    }
}
