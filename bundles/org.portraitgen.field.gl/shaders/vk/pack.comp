#version 460
// Planar float features [C][H][W] -> the CNN's activation layout: zero-padded NHWC [H+2][WP][CP] (CP = C rounded
// up to 16 so that a 16-channel slice is one matrix row). Borders stay zero from the buffer's clear.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) writeonly buffer Dst { ACT dst[]; };
layout(push_constant) uniform P { int H; int W; int WP; int C; int CP; } p;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uint(p.H * p.W)) {
        return;
    }
    uint y = i / uint(p.W);
    uint x = i % uint(p.W);
    uint o = ((y + 1) * uint(p.WP) + x + 1) * uint(p.CP);
    for (int c = 0; c < p.CP; c++) {
        dst[o + c] = ACT(c < p.C ? src[(uint(c) * uint(p.H) + y) * uint(p.W) + x] : 0.0);
    }
}
