#version 460
// Zeroes the padded columns W+1 .. WP-1 of rows 1..H of an activation [H+2][WP][C]: the matrix kernels compute
// whole 16-pixel tiles, so columns past the image get values that must read as zero padding in the next layer.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 256) in;
layout(std430, binding = 0) buffer Act { ACT a[]; };
layout(push_constant) uniform P { int H; int W; int WP; int C; } p;

void main() {
    uint cols = uint(p.WP - p.W - 1);
    uint i = gl_GlobalInvocationID.x;
    uint perRow = cols * uint(p.C);
    if (i >= uint(p.H) * perRow) {
        return;
    }
    uint y = i / perRow + 1;
    uint r = i % perRow;
    uint x = uint(p.W) + 1 + r / uint(p.C);
    a[(y * uint(p.WP) + x) * uint(p.C) + r % uint(p.C)] = ACT(0.0);
}
