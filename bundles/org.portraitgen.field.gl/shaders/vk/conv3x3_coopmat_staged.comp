#version 460
// conv3x3_coopmat.comp with its operands staged in shared memory: a work group computes 16 MT x SUBGROUPS pixels of
// one row by 16 x NT output channels (subgroup s: pixels 16 MT s .. 16 MT (s + 1) - 1, all NT channel tiles). Per 16-channel slice of the
// input it copies the 3 input rows (with their 1-pixel halo) and the 9 taps' 16 x (16 NT) weights into shared memory
// once, 128-bit loads, and the subgroups read all 9 taps' matrices from there: each input element comes from global
// memory once per slice instead of once per tap. Same layouts, bias broadcast, ReLU and fp16 store.
#extension GL_KHR_cooperative_matrix : require
#extension GL_KHR_memory_scope_semantics : require
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
// [[unroll]]: spirv-opt unrolls only hinted loops, and an array of matrices indexed in a loop that stays rolled
// would live in local memory
#extension GL_EXT_control_flow_attributes : require
#define TX (16 * MT * SUBGROUPS)
layout(local_size_x = 32 * SUBGROUPS) in;
layout(std430, binding = 0) readonly buffer In { uvec4 xin[]; };
layout(std430, binding = 1) readonly buffer Wt { uvec4 w[]; };
layout(std430, binding = 2) readonly buffer Bias { float bias[]; };
layout(std430, binding = 3) writeonly buffer Out { float16_t yout[]; };
layout(push_constant) uniform P { int H; int W; int WP; int XBLOCKS; } p;

// 8 halfs per uvec4: a 16-channel pixel is 2 of them, a weight row of 16 NT channels 2 NT
shared uvec4 sA[3 * (TX + 2) * 2];
shared uvec4 sB[9 * 16 * 2 * NT];

void main() {
    uint y = gl_WorkGroupID.x / uint(p.XBLOCKS);
    uint x0 = (gl_WorkGroupID.x % uint(p.XBLOCKS)) * TX;
    uint n0 = gl_WorkGroupID.y * (16 * NT);
    uint s = gl_SubgroupID;
    uint lid = gl_LocalInvocationIndex;
    coopmat<float, gl_ScopeSubgroup, 16, 16, gl_MatrixUseAccumulator> acc[MT * NT];
    [[unroll]] for (int nt = 0; nt < NT; nt++) {
        coopMatLoad(acc[nt], bias, n0 + 16 * nt, COUT, gl_CooperativeMatrixLayoutRowMajor);
        [[unroll]] for (int mt = 1; mt < MT; mt++) {
            acc[mt * NT + nt] = acc[nt];
        }
    }
    for (uint c0 = 0; c0 < CIN; c0 += 16) {
        barrier();
        for (uint i = lid; i < 3 * (TX + 2) * 2; i += 32 * SUBGROUPS) {
            uint px = (i >> 1) % (TX + 2);
            uint r = (i >> 1) / (TX + 2);
            sA[i] = xin[(((y + r) * uint(p.WP) + x0 + px) * CIN + c0) / 8 + (i & 1)];
        }
        for (uint i = lid; i < 9 * 16 * 2 * NT; i += 32 * SUBGROUPS) {
            uint v = i % (2 * NT);
            uint ci = (i / (2 * NT)) % 16;
            uint t = i / (2 * NT * 16);
            sB[i] = w[((t * CIN + c0 + ci) * COUT + n0) / 8 + v];
        }
        barrier();
        [[unroll]] for (uint t = 0; t < 9; t++) {
            uint ky = t / 3;
            uint kx = t % 3;
            coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseA> a[MT];
            [[unroll]] for (int mt = 0; mt < MT; mt++) {
                coopMatLoad(a[mt], sA, (ky * (TX + 2) + (s * MT + mt) * 16 + kx) * 2, 2,
                        gl_CooperativeMatrixLayoutRowMajor);
            }
            [[unroll]] for (int nt = 0; nt < NT; nt++) {
                coopmat<float16_t, gl_ScopeSubgroup, 16, 16, gl_MatrixUseB> b;
                coopMatLoad(b, sB, t * 16 * 2 * NT + 2 * nt, 2 * NT, gl_CooperativeMatrixLayoutRowMajor);
                [[unroll]] for (int mt = 0; mt < MT; mt++) {
                    acc[mt * NT + nt] = coopMatMulAdd(a[mt], b, acc[mt * NT + nt]);
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
            coopMatStore(h, yout, ((y + 1) * uint(p.WP) + x0 + (s * MT + mt) * 16 + 1) * COUT + n0 + 16 * nt, COUT,
                    gl_CooperativeMatrixLayoutRowMajor);
        }
    }
}
