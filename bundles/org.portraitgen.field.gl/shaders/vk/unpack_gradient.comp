#version 460
// dL/dfeatures from the first layer's input gradient: activation layout [H+2][WP][CP] (fp32, scaled by the loss
// scale) -> planar [C][H][W], unscaled (what the rasterizer's backward takes).
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Src { float src[]; };
layout(std430, binding = 1) writeonly buffer Dst { float dst[]; };
layout(std430, binding = 2) readonly buffer Scale { uint scale[]; };
layout(push_constant) uniform P { int H; int W; int WP; int C; int CP; } p;

float lossScale() {
    float m = uintBitsToFloat(scale[0]);
    return m > 0.0 ? exp2(clamp(floor(log2(64.0 / m)), -40.0, 40.0)) : 1.0;
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uint(p.H * p.W)) {
        return;
    }
    uint y = i / uint(p.W);
    uint x = i % uint(p.W);
    uint o = ((y + 1) * uint(p.WP) + x + 1) * uint(p.CP);
    float inv = 1.0 / lossScale();
    for (int c = 0; c < p.C; c++) {
        dst[(uint(c) * uint(p.H) + y) * uint(p.W) + x] = src[o + c] * inv;
    }
}
