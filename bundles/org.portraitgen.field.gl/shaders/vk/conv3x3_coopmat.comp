#version 460
// 3x3 conv + bias + ReLU as an implicit GEMM on the tensor cores (VK_KHR_cooperative_matrix, fp16 x fp16 + fp32):
// M = pixels, N = output channels, K = 9 taps x CIN. The activation layout [H+2][WP][CIN] (zero-padded, channels
// innermost) makes the A tile of 16 consecutive pixels of one row x 16 channels, shifted by a tap, a plain
// row-major matrix with stride CIN; weights [9][CIN][COUT] give B tiles with stride COUT. Each subgroup computes
// MT x 16 pixels of one row by NT x 16 channels; the accumulators start from the bias (a [16][COUT] broadcast), get
// ReLU'd and stored as fp16 into the next layer's padded layout.
#extension GL_KHR_cooperative_matrix : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
// [[unroll]]: spirv-opt unrolls only hinted loops, and an array of matrices indexed in a loop that stays rolled
// would live in local memory
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x = 32 * SUBGROUPS) in;
layout(std430, binding = 0) readonly buffer In { float16_t xin[]; };
layout(std430, binding = 1) readonly buffer Wt { float16_t w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Out { float16_t yout[]; };
layout(push_constant) uniform P { int H; int W; int WP; int XBLOCKS; } p;

void main() {
    uint sg = gl_WorkGroupID.x * SUBGROUPS + gl_SubgroupID;
    uint y = sg / uint(p.XBLOCKS);
    if (y >= uint(p.H)) {
        return;
    }
    uint x0 = (sg % uint(p.XBLOCKS)) * (16 * MT);
    uint n0 = gl_WorkGroupID.y * (16 * NT);
    coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> acc[MT * NT];
    [[unroll]] for (int nt = 0; nt < NT; nt++) {
        coopMatLoad(acc[nt], bias, n0 + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
        [[unroll]] for (int mt = 1; mt < MT; mt++) {
            acc[mt * NT + nt] = acc[nt];
        }
    }
    for (uint ky = 0; ky < 3; ky++) {
        for (uint kx = 0; kx < 3; kx++) {
            uint rowBase = (y + ky) * uint(p.WP) + x0 + kx;
            uint wBase = (ky * 3 + kx) * CIN * COUT + n0;
            for (uint c0 = 0; c0 < CIN; c0 += 16) {
                coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseA> a[MT];
                [[unroll]] for (int mt = 0; mt < MT; mt++) {
                    coopMatLoad(a[mt], xin, (rowBase + 16 * mt) * CIN + c0, CIN,
                            gl_CooperativeMatrixLayoutRowMajor);
                }
                [[unroll]] for (int nt = 0; nt < NT; nt++) {
                    coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseB> b;
                    coopMatLoad(b, w, wBase + c0 * COUT + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
                    [[unroll]] for (int mt = 0; mt < MT; mt++) {
                        acc[mt * NT + nt] = coopMatMulAdd(a[mt], b, acc[mt * NT + nt]);
                    }
                }
            }
        }
    }
    [[unroll]] for (int mt = 0; mt < MT; mt++) {
        [[unroll]] for (int nt = 0; nt < NT; nt++) {
            coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> r = acc[mt * NT + nt];
            [[unroll]] for (int i = 0; i < r.length(); i++) {
                r[i] = max(r[i], 0.0);
            }
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> h =
                    coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator>(r);
            coopMatStore(h, yout, ((y + 1) * uint(p.WP) + x0 + 16 * mt + 1) * COUT + n0 + 16 * nt, COUT,
                    gl_CooperativeMatrixLayoutRowMajor);
        }
    }
}
