// A KSIZE x KSIZE convolution (stride 1, zero padding KSIZE / 2) of planar images [CIN, H, W] -> [COUT, H, W],
// the neural renderer's layers forward and, with TRANSPOSED, their input gradients (the same convolution with the
// kernel flipped and its channel axes swapped, read straight from the layer's own [COUT', CIN', k, k] weights).
// One work group computes a 32x8 pixel tile for CO_GROUP output channels; each thread keeps 4 pixels x 8 channels
// in registers. Input channels are staged through shared memory CI_CHUNK at a time (tile plus halo), together with
// their weights, so every loaded value feeds 8 channels x KSIZE taps (inputs) or 4 pixels (weights).
// ACT: 0 none, 1 ReLU, 2 sigmoid. MASKED: the result is zeroed where mask <= 0 (ReLU's backward).
#define TW 32
#define TH 8
#define PX 4
#define CO_T 8
#define CI_CHUNK 8
#define PAD (KSIZE / 2)
#define TAPS (KSIZE * KSIZE)
#define SW (TW + 2 * PAD)
#define SH (TH + 2 * PAD)
// THREADS = 64 * CO_GROUP / CO_T, a define from the dispatcher (GLSL 4.30 wants a literal work group size)
layout(local_size_x = THREADS) in;

layout(std430, binding = 0) readonly buffer In { float inImage[]; };
layout(std430, binding = 1) readonly buffer Params { float params[]; };
layout(std430, binding = 2) writeonly buffer Out { float outImage[]; };
#if MASKED
layout(std430, binding = 3) readonly buffer Mask { float mask[]; };
#endif
layout(location = 0) uniform uint uWidth;
layout(location = 1) uniform uint uHeight;
layout(location = 2) uniform uint uWeightOffset;
layout(location = 3) uniform uint uBiasOffset; // 0xffffffff: no bias

shared float sIn[CI_CHUNK * SH * SW];
shared float sW[CO_GROUP * CI_CHUNK * TAPS];

float weightAt(uint co, uint ci, uint tap) {
#if TRANSPOSED
    return params[uWeightOffset + (ci * COUT + co) * TAPS + (TAPS - 1 - tap)];
#else
    return params[uWeightOffset + (co * CIN + ci) * TAPS + tap];
#endif
}

void main() {
    uint t = gl_LocalInvocationIndex;
    uint pg = t % 64u;
    uint cg = t / 64u;
    uint col = (pg % 8u) * PX;
    uint row = pg / 8u;
    int x0 = int(gl_WorkGroupID.x * TW);
    int y0 = int(gl_WorkGroupID.y * TH);
    uint coBase = gl_WorkGroupID.z * CO_GROUP;
    uint plane = uWidth * uHeight;

    vec4 acc[CO_T];
    for (uint c = 0u; c < CO_T; c++) {
        uint co = coBase + cg * CO_T + c;
        float b = (uBiasOffset != 0xffffffffu && co < COUT) ? params[uBiasOffset + co] : 0.0;
        acc[c] = vec4(b);
    }

    for (uint ci0 = 0u; ci0 < CIN; ci0 += CI_CHUNK) {
        for (uint i = t; i < CI_CHUNK * SH * SW; i += THREADS) {
            uint ci = ci0 + i / (SH * SW);
            uint r = i % (SH * SW);
            int yy = y0 + int(r / SW) - PAD;
            int xx = x0 + int(r % SW) - PAD;
            bool inside = ci < CIN && yy >= 0 && xx >= 0 && yy < int(uHeight) && xx < int(uWidth);
            sIn[i] = inside ? inImage[ci * plane + uint(yy) * uWidth + uint(xx)] : 0.0;
        }
        for (uint i = t; i < CO_GROUP * CI_CHUNK * TAPS; i += THREADS) {
            uint co = coBase + i / (CI_CHUNK * TAPS);
            uint ci = ci0 + (i / TAPS) % CI_CHUNK;
            sW[i] = (co < COUT && ci < CIN) ? weightAt(co, ci, i % TAPS) : 0.0;
        }
        barrier();
        for (uint ci = 0u; ci < CI_CHUNK; ci++) {
            for (uint ky = 0u; ky < KSIZE; ky++) {
                uint base = (ci * SH + row + ky) * SW + col;
                float v[PX + KSIZE - 1];
                for (uint j = 0u; j < PX + KSIZE - 1; j++) {
                    v[j] = sIn[base + j];
                }
                for (uint kx = 0u; kx < KSIZE; kx++) {
                    vec4 pix = vec4(v[kx], v[kx + 1u], v[kx + 2u], v[kx + 3u]);
                    uint wBase = ((cg * CO_T) * CI_CHUNK + ci) * TAPS + ky * KSIZE + kx;
                    for (uint c = 0u; c < CO_T; c++) {
                        acc[c] = fma(vec4(sW[wBase + c * CI_CHUNK * TAPS]), pix, acc[c]);
                    }
                }
            }
        }
        barrier();
    }

    int y = y0 + int(row);
    if (y >= int(uHeight)) {
        return;
    }
    for (uint c = 0u; c < CO_T; c++) {
        uint co = coBase + cg * CO_T + c;
        if (co >= COUT) {
            break;
        }
        for (uint j = 0u; j < PX; j++) {
            int x = x0 + int(col + j);
            if (x >= int(uWidth)) {
                break;
            }
            uint o = co * plane + uint(y) * uWidth + uint(x);
            float a = acc[c][j];
#if ACT == 1
            a = max(a, 0.0);
#elif ACT == 2
            a = 1.0 / (1.0 + exp(-a));
#endif
#if MASKED
            if (mask[o] <= 0.0) {
                a = 0.0;
            }
#endif
            outImage[o] = a;
        }
    }
}
