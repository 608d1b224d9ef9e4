#version 460
// Adds a layer's per-chunk partial gradient sums into the trainer's flat fp32 gradient buffer (PyTorch order).
// CONV: partial[chunk][9][CINP][COUT] then the bias [COUT] at 9 CINP COUT, divided by the loss scale of the backward
// (scale[0], see head_backward.comp); else (the head) partial[chunk][COUNT] in the flat order already, unscaled.
// A work group takes 32 consecutive partial sums (coalesced loads) in 8 slices of the chunks, added up in shared
// memory: one thread per parameter walking every chunk in the parameters' order was a chain of CHUNKS scattered
// loads, a large part of the small layers' backward on the H100.
layout(local_size_x = 32, local_size_y = 8) in;
layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) buffer Grads { float grads[]; };
layout(std430, binding = 2) readonly buffer Scale { uint scale[]; };
layout(push_constant) uniform P { int COUNT; int CHUNKS; int STRIDE; int OFFSET; int CIN; int CINP; int COUT; } p;

shared float slices[8][32];

float lossScale() {
    float m = uintBitsToFloat(scale[0]);
    return m > 0.0 ? exp2(clamp(floor(log2(64.0 / m)), -40.0, 40.0)) : 1.0;
}

void main() {
    uint lx = gl_LocalInvocationID.x;
    uint slice = gl_LocalInvocationID.y;
    uint src = gl_WorkGroupID.x * 32 + lx;
#ifdef CONV
    uint cout = uint(p.COUT);
    uint cinp = uint(p.CINP);
    uint weightsPadded = 9 * cinp * cout;
    uint total = weightsPadded + cout;
#else
    uint total = uint(p.COUNT);
#endif
    float sum = 0.0;
    if (src < total) {
        for (uint c = slice; c < uint(p.CHUNKS); c += 8) {
            sum += partial[c * uint(p.STRIDE) + src];
        }
    }
    slices[slice][lx] = sum;
    barrier();
    if (slice != 0 || src >= total) {
        return;
    }
    for (uint s = 1; s < 8; s++) {
        sum += slices[s][lx];
    }
#ifdef CONV
    uint cin = uint(p.CIN);
    uint j;
    if (src < weightsPadded) {
        uint co = src % cout;
        uint ci = (src / cout) % cinp;
        uint t = src / (cout * cinp);
        if (ci >= cin) {
            return; // padding input channel: no parameter
        }
        j = (co * cin + ci) * 9 + t;
    } else {
        j = cout * cin * 9 + (src - weightsPadded);
    }
    float inv = 1.0 / lossScale();
#else
    uint j = src;
    float inv = 1.0;
#endif
    grads[uint(p.OFFSET) + j] += sum * inv;
}
