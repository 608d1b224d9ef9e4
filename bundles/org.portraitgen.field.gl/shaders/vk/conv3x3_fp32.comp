#version 460
// 3x3 conv + bias + ReLU without matrix units (the fallback where VK_KHR_cooperative_matrix is absent, e.g.
// lavapipe): one thread per pixel and 16 output channels, fp32. Same layouts as conv3x3_coopmat.comp: input
// [H+2][WP][CIN], weights [9][CIN][COUT], bias broadcast [16][COUT] (row 0 used), output [H+2][WP][COUT].
// BACKWARD / OUT_FP32 as in conv3x3_coopmat_rows.comp: the input gradient, masked by the ReLU of binding 2 unless
// OUT_FP32.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float xin[]; };
layout(std430, binding = 1) readonly buffer Wt { float w[]; };
#ifdef BACKWARD
layout(std430, binding = 2) readonly buffer Mask { float mask[]; };
#else
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
#endif
layout(std430, binding = 3) writeonly buffer Out { float yout[]; };
layout(push_constant) uniform P { int H; int W; int WP; } p;

void main() {
    uint px = gl_GlobalInvocationID.x;
    if (px >= uint(p.H * p.W)) {
        return;
    }
    uint n0 = gl_WorkGroupID.y * 16;
    uint y = px / uint(p.W);
    uint x = px % uint(p.W);
    float acc[16];
    for (int j = 0; j < 16; j++) {
#ifdef BACKWARD
        acc[j] = 0.0;
#else
        acc[j] = bias[n0 + j];
#endif
    }
    for (uint ky = 0; ky < 3; ky++) {
        for (uint kx = 0; kx < 3; kx++) {
            uint base = ((y + ky) * uint(p.WP) + x + kx) * CIN;
            uint wb = (ky * 3 + kx) * CIN * COUT + n0;
            for (uint c = 0; c < CIN; c++) {
                float v = xin[base + c];
                for (int j = 0; j < 16; j++) {
                    acc[j] += v * w[wb + c * COUT + j];
                }
            }
        }
    }
    uint o = ((y + 1) * uint(p.WP) + x + 1) * COUT + n0;
    for (int j = 0; j < 16; j++) {
#if defined(OUT_FP32)
        yout[o + j] = acc[j];
#elif defined(BACKWARD)
        yout[o + j] = mask[o + j] > 0.0 ? acc[j] : 0.0;
#else
        yout[o + j] = max(acc[j], 0.0);
#endif
    }
}
