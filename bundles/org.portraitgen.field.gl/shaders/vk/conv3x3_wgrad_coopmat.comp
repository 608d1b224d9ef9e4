#version 460
// Weight gradient of a 3x3 layer on the tensor cores: for each tap t, dW_t [CIN][COUT] = sum over pixels of
// input(pixel + tap offset)^T x dOut(pixel), a GEMM whose K dimension is the pixels. A subgroup (one work group)
// computes 16 MT input channels x 16 NT output channels of one tap over the rows of its chunk (work group y), A
// loaded column-major straight from the activation layout [H+2][WP][CIN] (fp16), B row-major from the output
// gradient [H+2][WP][COUT] (fp16, scaled, zero outside the image so whole 16-pixel tiles can be summed), fp32
// accumulation; the chunk's sums go to partial[chunk][9][CIN][COUT] (reduce_gradients.comp adds the chunks).
#extension GL_KHR_cooperative_matrix : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#extension GL_EXT_control_flow_attributes : require
layout(local_size_x = 32) in;
layout(std430, binding = 0) readonly buffer In { float16_t xin[]; };
layout(std430, binding = 1) readonly buffer G { float16_t g[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform P { int H; int W; int WP; int ROWS; int STRIDE; } p;

#define CI_BLOCKS (CIN / (16 * MT))
#define CO_BLOCKS (COUT / (16 * NT))

void main() {
    uint task = gl_WorkGroupID.x;
    uint cb = task % CO_BLOCKS;
    uint ib = (task / CO_BLOCKS) % CI_BLOCKS;
    uint t = task / (CO_BLOCKS * CI_BLOCKS);
    uint ky = t / 3;
    uint kx = t % 3;
    uint c0 = ib * 16 * MT;
    uint n0 = cb * 16 * NT;
    uint chunk = gl_WorkGroupID.y;
    uint yBegin = chunk * uint(p.ROWS);
    uint yEnd = min(yBegin + uint(p.ROWS), uint(p.H));
    uint tiles = uint(p.WP - 2) / 16;
    coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> acc[MT * NT];
    [[unroll]] for (int j = 0; j < MT * NT; j++) {
        acc[j] = coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator>(0.0);
    }
    for (uint y = yBegin; y < yEnd; y++) {
        for (uint tx = 0; tx < tiles; tx++) {
            uint x0 = tx * 16;
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseA> a[MT];
            [[unroll]] for (int mt = 0; mt < MT; mt++) {
                coopMatLoad(a[mt], xin, ((y + ky) * uint(p.WP) + x0 + kx) * CIN + c0 + 16 * mt, CIN,
                        gl_CooperativeMatrixLayoutColumnMajor);
            }
            [[unroll]] for (int nt = 0; nt < NT; nt++) {
                coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseB> b;
                coopMatLoad(b, g, ((y + 1) * uint(p.WP) + x0 + 1) * COUT + n0 + 16 * nt, COUT,
                        gl_CooperativeMatrixLayoutRowMajor);
                [[unroll]] for (int mt = 0; mt < MT; mt++) {
                    acc[mt * NT + nt] = coopMatMulAdd(a[mt], b, acc[mt * NT + nt]);
                }
            }
        }
    }
    [[unroll]] for (int mt = 0; mt < MT; mt++) {
        [[unroll]] for (int nt = 0; nt < NT; nt++) {
            coopMatStore(acc[mt * NT + nt], partial, chunk * uint(p.STRIDE) + (t * CIN + c0 + 16 * mt) * COUT + n0
                    + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
        }
    }
}
