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
#ifndef PIXELS
#define PIXELS 1
#endif
shared float sums[32][VALUES];

float lossScale() {
    float m = uintBitsToFloat(scale[0]);
    // a power of two, so scaling and unscaling are exact; 64 leaves fp16 a factor of 1000 of headroom
    return m > 0.0 ? exp2(clamp(floor(log2(64.0 / m)), -40.0, 40.0)) : 1.0;
}

void main() {
    uint plane = uint(p.H * p.W);
#ifdef MAX_PASS
    uint i = gl_GlobalInvocationID.x;
    float g[3] = {0.0, 0.0, 0.0};
    if (i < plane) {
        for (uint k = 0; k < 3; k++) {
            float s = rgb[k * plane + i];
            g[k] = vrgb[k * plane + i] * s * (1.0 - s);
        }
    }
    float m = subgroupMax(max(abs(g[0]), max(abs(g[1]), abs(g[2]))));
    if (subgroupElect()) {
        atomicMax(scale[0], floatBitsToUint(m));
    }
#else
    // PIXELS pixels per invocation (strided by the grid, so loads stay coalesced), summed in registers before the
    // subgroup sums: those 3 CIN + 3 reductions cost more than the pixels' own work (0.2 ms a frame at 512², H100)
    float sc = lossScale();
    float acc[VALUES];
    for (uint v = 0; v < VALUES; v++) {
        acc[v] = 0.0;
    }
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint j = 0; j < PIXELS; j++) {
        uint i = gl_GlobalInvocationID.x + j * stride;
        if (i < plane) {
            float g[3];
            for (uint k = 0; k < 3; k++) {
                float s = rgb[k * plane + i];
                g[k] = vrgb[k * plane + i] * s * (1.0 - s);
            }
            uint y = i / uint(p.W);
            uint x = i % uint(p.W);
            uint base = ((y + 1) * uint(p.WP) + x + 1) * CIN;
            for (uint c = 0; c < CIN; c++) {
                float v = float(a[base + c]);
                float d = prm[c] * g[0] + prm[CIN + c] * g[1] + prm[2 * CIN + c] * g[2];
                va[base + c] = ACT(v > 0.0 ? sc * d : 0.0);
                for (uint k = 0; k < 3; k++) {
                    acc[k * CIN + c] += g[k] * v;
                }
            }
            for (uint k = 0; k < 3; k++) {
                acc[3 * CIN + k] += g[k];
            }
        }
    }
    uint sg = gl_SubgroupID;
    for (uint v = 0; v < VALUES; v++) {
        float t = subgroupAdd(acc[v]);
        if (subgroupElect()) {
            sums[sg][v] = t;
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
