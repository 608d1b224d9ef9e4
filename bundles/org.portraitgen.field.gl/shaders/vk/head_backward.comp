#version 460
// Backward of the renderer's last layer (1x1 conv CIN -> 3, sigmoid) from dL/dRGB (planar fp32 [3][H][W]).
// With MAX_PASS: only the largest |dL/d(pre-sigmoid)| of the image, into scale[0] (float bits; atomicMax orders
// non-negative floats like uints). Otherwise: the gradient of the last hidden activation, masked by its ReLU and
// multiplied by the loss scale S (a power of two that brings the largest value to 64), into the activation layout [H+2][WP][CIN]; and per work group
// the head's parameter gradients (unscaled fp32), partial[group][3 CIN + 3], summed by reduce_gradients.comp.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Act { ACT a[]; };
layout(std430, binding = 1) readonly buffer Prm { float prm[]; };
layout(std430, binding = 2) readonly buffer Rgb { float rgb[]; };
layout(std430, binding = 3) readonly buffer VRgb { float vrgb[]; };
layout(std430, binding = 4) writeonly buffer VAct { ACT va[]; };
layout(std430, binding = 5) writeonly buffer Partial { float partial[]; };
layout(std430, binding = 6) buffer Scale { uint scale[]; };
layout(push_constant) uniform P { int H; int W; int WP; } p;

#define VALUES (3 * CIN + 3)
shared float sums[32][VALUES];

float lossScale() {
    float m = uintBitsToFloat(scale[0]);
    // a power of two, so scaling and unscaling are exact; 64 leaves fp16 a factor of 1000 of headroom
    return m > 0.0 ? exp2(clamp(floor(log2(64.0 / m)), -40.0, 40.0)) : 1.0;
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint plane = uint(p.H * p.W);
    bool inside = i < plane;
    float g[3] = {0.0, 0.0, 0.0};
    if (inside) {
        for (uint k = 0; k < 3; k++) {
            float s = rgb[k * plane + i];
            g[k] = vrgb[k * plane + i] * s * (1.0 - s);
        }
    }
#ifdef MAX_PASS
    float m = subgroupMax(max(abs(g[0]), max(abs(g[1]), abs(g[2]))));
    if (subgroupElect()) {
        atomicMax(scale[0], floatBitsToUint(m));
    }
#else
    uint base = 0;
    if (inside) {
        uint y = i / uint(p.W);
        uint x = i % uint(p.W);
        base = ((y + 1) * uint(p.WP) + x + 1) * CIN;
    }
    float sc = lossScale();
    uint sg = gl_SubgroupID;
    for (uint c = 0; c < CIN; c++) {
        float v = inside ? float(a[base + c]) : 0.0;
        if (inside) {
            float d = prm[c] * g[0] + prm[CIN + c] * g[1] + prm[2 * CIN + c] * g[2];
            va[base + c] = ACT(v > 0.0 ? sc * d : 0.0);
        }
        for (uint k = 0; k < 3; k++) {
            float t = subgroupAdd(g[k] * v);
            if (subgroupElect()) {
                sums[sg][k * CIN + c] = t;
            }
        }
    }
    for (uint k = 0; k < 3; k++) {
        float t = subgroupAdd(g[k]);
        if (subgroupElect()) {
            sums[sg][3 * CIN + k] = t;
        }
    }
    barrier();
    uint lid = gl_LocalInvocationIndex;
    if (lid < VALUES) {
        float total = 0.0;
        for (uint s = 0; s < gl_NumSubgroups; s++) {
            total += sums[s][lid];
        }
        partial[gl_WorkGroupID.x * VALUES + lid] = total;
    }
#endif
}
