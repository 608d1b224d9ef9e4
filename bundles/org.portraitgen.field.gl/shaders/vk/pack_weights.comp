#version 460
// One 3x3 layer's fp32 parameters as the trainer keeps them (PyTorch order: weights [COUT][CIN][3][3], then bias
// [COUT], at WOFF / BOFF in the flat parameter buffer) -> the Vulkan kernels' layouts: forward weights
// [9][CINP][COUT], backward weights [9][COUT][CINP] with the taps mirrored (the input gradient is the convolution
// of the output gradient with the flipped, transposed kernel), bias broadcast to [16][COUT]. Input channels past
// CIN (the feature image's padding to 16) get zero weights.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Params { float prm[]; };
layout(std430, binding = 1) writeonly buffer Fwd { ACT wf[]; };
layout(std430, binding = 2) writeonly buffer Bwd { ACT wb[]; };
layout(std430, binding = 3) writeonly buffer Bias { float bias[]; };
layout(push_constant) uniform P { int CIN; int CINP; int COUT; int WOFF; int BOFF; } p;

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint cinp = uint(p.CINP);
    uint cout = uint(p.COUT);
    if (i < 16 * cout) {
        bias[i] = prm[p.BOFF + int(i % cout)];
    }
    if (i >= 9 * cinp * cout) {
        return;
    }
    uint co = i % cout;
    uint ci = (i / cout) % cinp;
    uint t = i / (cout * cinp);
    float v = ci < uint(p.CIN) ? prm[p.WOFF + int((co * uint(p.CIN) + ci) * 9 + t)] : 0.0;
    wf[i] = ACT(v);
    wb[((8 - t) * cout + co) * cinp + ci] = ACT(v);
}
