#version 460
// The renderer's last layer: 1x1 conv CIN -> 3 and sigmoid, from the activation layout [H+2][WP][CIN] to planar RGB
// [3][H][W] (what CnnEngine returns). Parameters: weights [3][CIN] then bias [3], fp32.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Act { ACT a[]; };
layout(std430, binding = 1) readonly buffer Prm { float prm[]; };
layout(std430, binding = 2) writeonly buffer Rgb { float rgb[]; };
layout(push_constant) uniform P { int H; int W; int WP; } p;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uint(p.H * p.W)) {
        return;
    }
    uint y = i / uint(p.W);
    uint x = i % uint(p.W);
    uint base = ((y + 1) * uint(p.WP) + x + 1) * CIN;
    float s0 = prm[3 * CIN], s1 = prm[3 * CIN + 1], s2 = prm[3 * CIN + 2];
    for (uint c = 0; c < CIN; c++) {
        float v = float(a[base + c]);
        s0 += prm[c] * v;
        s1 += prm[CIN + c] * v;
        s2 += prm[2 * CIN + c] * v;
    }
    uint plane = uint(p.H * p.W);
    rgb[i] = 1.0 / (1.0 + exp(-s0));
    rgb[plane + i] = 1.0 / (1.0 + exp(-s1));
    rgb[2 * plane + i] = 1.0 / (1.0 + exp(-s2));
}
