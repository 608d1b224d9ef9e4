// Adam on a flat parameter buffer (the CPU's loss.Adam): m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g²,
// p -= lr (m / c1) / (sqrt(v / c2) + eps), with the bias corrections c1 = 1 - b1^t, c2 = 1 - b2^t from the host.
// GUARDED: nothing changes when any flag is set in guard[0] (a non-finite gradient or another reason to skip the
// step, found on the GPU before the host has read it).
layout(local_size_x = 256) in;

layout(std430, binding = 0) buffer Params { float params[]; };
layout(std430, binding = 1) readonly buffer Grads { float grads[]; };
layout(std430, binding = 2) buffer M { float m[]; };
layout(std430, binding = 3) buffer V { float v[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform float uLr;
layout(location = 2) uniform float uBeta1;
layout(location = 3) uniform float uBeta2;
layout(location = 4) uniform float uC1;
layout(location = 5) uniform float uC2;
layout(location = 6) uniform float uEps;
// first element of the group in the flat buffers
layout(location = 7) uniform uint uOffset;
// 1 - b1 and 1 - b2 from the host in double: 1.0 - float(0.999) is 1.3e-5 off 0.001
layout(location = 8) uniform float uOneMinusBeta1;
layout(location = 9) uniform float uOneMinusBeta2;
#ifdef GUARDED
layout(std430, binding = 4) readonly buffer Guard { uint guard[]; };
#endif

void main() {
    if (gl_GlobalInvocationID.x >= uCount) {
        return;
    }
#ifdef GUARDED
    if (guard[0] != 0u) {
        return;
    }
#endif
    uint i = uOffset + gl_GlobalInvocationID.x;
    float g = grads[i];
    float mi = uBeta1 * m[i] + uOneMinusBeta1 * g;
    float vi = uBeta2 * v[i] + uOneMinusBeta2 * g * g;
    m[i] = mi;
    v[i] = vi;
    params[i] -= uLr * (mi / uC1) / (sqrt(vi / uC2) + uEps);
}
