#version 460
// Adds a layer's per-chunk partial gradient sums into the trainer's flat fp32 gradient buffer (PyTorch order), one
// thread per parameter. CONV: partial[chunk][9][CINP][COUT] then the bias [COUT] at 9 CINP COUT, divided by the loss
// scale of the backward (scale[0], see head_backward.comp); else (the head) partial[chunk][n] in the flat order
// already, unscaled.
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) buffer Grads { float grads[]; };
layout(std430, binding = 2) readonly buffer Scale { uint scale[]; };
layout(push_constant) uniform P { int COUNT; int CHUNKS; int STRIDE; int OFFSET; int CIN; int CINP; int COUT; } p;

float lossScale() {
    float m = uintBitsToFloat(scale[0]);
    return m > 0.0 ? exp2(clamp(floor(log2(64.0 / m)), -40.0, 40.0)) : 1.0;
}

void main() {
    uint j = gl_GlobalInvocationID.x;
    if (j >= uint(p.COUNT)) {
        return;
    }
#ifdef CONV
    uint cin = uint(p.CIN);
    uint cout = uint(p.COUT);
    uint weights = cout * cin * 9;
    uint src;
    if (j < weights) {
        uint co = j / (cin * 9);
        uint ci = (j / 9) % cin;
        uint t = j % 9;
        src = (t * uint(p.CINP) + ci) * cout + co;
    } else {
        src = 9 * uint(p.CINP) * cout + (j - weights);
    }
    float inv = 1.0 / lossScale();
#else
    uint src = j;
    float inv = 1.0;
#endif
    float sum = 0.0;
    for (uint c = 0; c < uint(p.CHUNKS); c++) {
        sum += partial[c * uint(p.STRIDE) + src];
    }
    grads[uint(p.OFFSET) + j] += sum * inv;
}
