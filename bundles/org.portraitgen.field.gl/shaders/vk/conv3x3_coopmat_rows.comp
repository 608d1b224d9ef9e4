#version 460
// conv3x3_coopmat.comp with the input staged in shared memory: a work group is SUBGROUPS rows x 16 MT pixels x
// 16 NT output channels, subgroup s computing row y0 + s. Per 16-channel slice it copies the SUBGROUPS + 2 input rows
// the group reads (16 MT + 2 pixels with the halo, 128-bit loads) into shared memory once, so each input element
// comes from global memory once per slice instead of 9 times (3 rows x 3 taps); the weights' B tiles, the same for
// every group, come through the L1 cache, or with STAGE_B defined through shared memory too (per slice: 9 taps x
// 16 x 16 NT, shared by the group's rows). Same layouts, bias broadcast, ReLU and fp16 store.
// With BACKWARD it computes a layer's input gradient instead: the input is the output gradient, the weights the
// flipped, transposed kernel (pack_weights.comp), no bias, and the result is masked by the ReLU of the layer's input
// (binding 2: that activation, read as a matrix of the same shape so that elements match), or with OUT_FP32 (the
// first layer, whose input has no ReLU) stored unmasked in fp32.
#extension GL_KHR_cooperative_matrix : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
// [[unroll]]: spirv-opt unrolls only hinted loops, and an array of matrices indexed in a loop that stays rolled
// would live in local memory
#extension GL_EXT_control_flow_attributes : require
#define TX (16 * MT)
layout(local_size_x = 32 * SUBGROUPS) in;
layout(std430, binding = 0) readonly buffer In { uvec4 xin[]; };
#ifdef STAGE_B
layout(std430, binding = 1) readonly buffer Wt { uvec4 w[]; };
shared uvec4 sB[9 * 16 * 2 * NT];
#else
layout(std430, binding = 1) readonly buffer Wt { float16_t w[]; };
#endif
#ifdef BACKWARD
layout(std430, binding = 2) readonly buffer Mask { float16_t mask[]; };
#else
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
#endif
#ifdef OUT_FP32
layout(std430, binding = 3) writeonly buffer Out { float yout[]; };
#else
layout(std430, binding = 3) writeonly buffer Out { float16_t yout[]; };
#endif
layout(push_constant) uniform P { int H; int W; int WP; int XBLOCKS; } p;

// 8 halfs per uvec4: a 16-channel pixel is 2 of them
shared uvec4 sA[(SUBGROUPS + 2) * (TX + 2) * 2];

void main() {
    uint y0 = gl_WorkGroupID.x / uint(p.XBLOCKS) * SUBGROUPS;
    uint x0 = (gl_WorkGroupID.x % uint(p.XBLOCKS)) * TX;
    uint n0 = gl_WorkGroupID.y * (16 * NT);
    uint s = gl_SubgroupID;
    uint lid = gl_LocalInvocationIndex;
    coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> acc[MT * NT];
    [[unroll]] for (int nt = 0; nt < NT; nt++) {
#ifdef BACKWARD
        acc[nt] = coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator>(0.0);
#else
        coopMatLoad(acc[nt], bias, n0 + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
#endif
        [[unroll]] for (int mt = 1; mt < MT; mt++) {
            acc[mt * NT + nt] = acc[nt];
        }
    }
    for (uint c0 = 0; c0 < CIN; c0 += 16) {
        barrier();
        for (uint i = lid; i < (SUBGROUPS + 2) * (TX + 2) * 2; i += 32 * SUBGROUPS) {
            uint px = (i >> 1) % (TX + 2);
            // rows past the padded image (last group of a short image) read the zero row; their outputs are dropped
            uint yy = min(y0 + (i >> 1) / (TX + 2), uint(p.H) + 1);
            sA[i] = xin[((yy * uint(p.WP) + x0 + px) * CIN + c0) / 8 + (i & 1)];
        }
#ifdef STAGE_B
        for (uint i = lid; i < 9 * 16 * 2 * NT; i += 32 * SUBGROUPS) {
            uint v = i % (2 * NT);
            uint ci = (i / (2 * NT)) % 16;
            uint t = i / (2 * NT * 16);
            sB[i] = w[((t * CIN + c0 + ci) * COUT + n0) / 8 + v];
        }
#endif
        barrier();
        [[unroll]] for (uint t = 0; t < 9; t++) {
            uint ky = t / 3;
            uint kx = t % 3;
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseA> a[MT];
            [[unroll]] for (int mt = 0; mt < MT; mt++) {
                coopMatLoad(a[mt], sA, ((s + ky) * (TX + 2) + 16 * mt + kx) * 2, 2,
                        gl_CooperativeMatrixLayoutRowMajor);
            }
            [[unroll]] for (int nt = 0; nt < NT; nt++) {
                coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseB> b;
#ifdef STAGE_B
                coopMatLoad(b, sB, t * 16 * 2 * NT + 2 * nt, 2 * NT, gl_CooperativeMatrixLayoutRowMajor);
#else
                coopMatLoad(b, w, (t * CIN + c0) * COUT + n0 + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
#endif
                [[unroll]] for (int mt = 0; mt < MT; mt++) {
                    acc[mt * NT + nt] = coopMatMulAdd(a[mt], b, acc[mt * NT + nt]);
                }
            }
        }
    }
    uint y = y0 + s;
    if (y >= uint(p.H)) {
        return;
    }
    [[unroll]] for (int mt = 0; mt < MT; mt++) {
        [[unroll]] for (int nt = 0; nt < NT; nt++) {
            coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> r = acc[mt * NT + nt];
            uint at = ((y + 1) * uint(p.WP) + x0 + 16 * mt + 1) * COUT + n0 + 16 * nt;
#ifdef OUT_FP32
            coopMatStore(r, yout, at, COUT, gl_CooperativeMatrixLayoutRowMajor);
#else
#ifndef BACKWARD
            [[unroll]] for (int i = 0; i < r.length(); i++) {
                r[i] = max(r[i], 0.0);
            }
#endif
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> h =
                    coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator>(r);
#ifdef BACKWARD
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> m;
            coopMatLoad(m, mask, at, COUT, gl_CooperativeMatrixLayoutRowMajor);
            [[unroll]] for (int i = 0; i < h.length(); i++) {
                h[i] = m[i] > float16_t(0.0) ? h[i] : float16_t(0.0);
            }
#endif
            coopMatStore(h, yout, at, COUT, gl_CooperativeMatrixLayoutRowMajor);
#endif
        }
    }
}
