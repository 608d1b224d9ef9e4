// dL/dW[co, ci, ky, kx] = sum over pixels of g[co, y, x] * in[ci, y + ky - PAD, x + kx - PAD] (zero padded), and
// dL/db[co] = sum of g[co]: one work group per (16 output channels, 16 input channels, band of rows), one thread
// per (co, ci) pair holding its TAPS sums. Gradient and input tiles (plus halo) go through shared memory; along a
// row each thread slides a KSIZE-column window, so it loads one new column per pixel. Each band writes partial
// sums [band][COUT * CIN * TAPS + COUT]; conv2d_reduce.comp adds the bands into the gradient buffer.
#define BLK 16
#define TW 32
#define TH 4
#define PAD (KSIZE / 2)
#define TAPS (KSIZE * KSIZE)
#define SW (TW + 2 * PAD)
#define SH (TH + 2 * PAD)
#define LAYER_SIZE (COUT * CIN * TAPS + COUT)
layout(local_size_x = 256) in; // BLK * BLK

layout(std430, binding = 0) readonly buffer In { float inImage[]; };     // the layer's input [CIN, H, W]
layout(std430, binding = 1) readonly buffer Grad { float gradImage[]; }; // dL/d(layer output) [COUT, H, W]
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(location = 0) uniform uint uWidth;
layout(location = 1) uniform uint uHeight;
layout(location = 2) uniform uint uRowsPerBand;

shared float sG[BLK * TH * TW];
shared float sIn[BLK * SH * SW];

void main() {
    uint t = gl_LocalInvocationIndex;
    uint ciL = t % BLK;
    uint coL = t / BLK;
    uint ci0 = gl_WorkGroupID.x * BLK;
    uint co0 = gl_WorkGroupID.y * BLK;
    uint band = gl_WorkGroupID.z;
    uint ci = ci0 + ciL;
    uint co = co0 + coL;
    uint plane = uWidth * uHeight;
    uint yBegin = band * uRowsPerBand;
    uint yEnd = min(uHeight, yBegin + uRowsPerBand);
    float acc[TAPS];
    for (uint k = 0u; k < TAPS; k++) {
        acc[k] = 0.0;
    }
    float biasAcc = 0.0;

    for (uint ty = yBegin; ty < yEnd; ty += TH) {
        for (uint tx = 0u; tx < uWidth; tx += TW) {
            for (uint i = t; i < BLK * TH * TW; i += BLK * BLK) {
                uint c = co0 + i / (TH * TW);
                uint yy = ty + (i / TW) % TH;
                uint xx = tx + i % TW;
                sG[i] = (c < COUT && yy < yEnd && xx < uWidth) ? gradImage[c * plane + yy * uWidth + xx] : 0.0;
            }
            for (uint i = t; i < BLK * SH * SW; i += BLK * BLK) {
                uint c = ci0 + i / (SH * SW);
                int yy = int(ty) + int((i / SW) % SH) - PAD;
                int xx = int(tx) + int(i % SW) - PAD;
                bool inside = c < CIN && yy >= 0 && xx >= 0 && yy < int(uHeight) && xx < int(uWidth);
                sIn[i] = inside ? inImage[c * plane + uint(yy) * uWidth + uint(xx)] : 0.0;
            }
            barrier();
            for (uint r = 0u; r < TH; r++) {
                uint gBase = (coL * TH + r) * TW;
                uint iBase = ciL * SH * SW + r * SW;
#if KSIZE == 3
                vec3 c0 = vec3(sIn[iBase], sIn[iBase + SW], sIn[iBase + 2u * SW]);
                vec3 c1 = vec3(sIn[iBase + 1u], sIn[iBase + SW + 1u], sIn[iBase + 2u * SW + 1u]);
                for (uint x = 0u; x < TW; x++) {
                    vec3 c2 = vec3(sIn[iBase + x + 2u], sIn[iBase + SW + x + 2u], sIn[iBase + 2u * SW + x + 2u]);
                    float g = sG[gBase + x];
                    acc[0] = fma(g, c0.x, acc[0]);
                    acc[1] = fma(g, c1.x, acc[1]);
                    acc[2] = fma(g, c2.x, acc[2]);
                    acc[3] = fma(g, c0.y, acc[3]);
                    acc[4] = fma(g, c1.y, acc[4]);
                    acc[5] = fma(g, c2.y, acc[5]);
                    acc[6] = fma(g, c0.z, acc[6]);
                    acc[7] = fma(g, c1.z, acc[7]);
                    acc[8] = fma(g, c2.z, acc[8]);
                    biasAcc += g;
                    c0 = c1;
                    c1 = c2;
                }
#else
                for (uint x = 0u; x < TW; x++) {
                    float g = sG[gBase + x];
                    acc[0] = fma(g, sIn[iBase + x], acc[0]);
                    biasAcc += g;
                }
#endif
            }
            barrier();
        }
    }
    if (co < COUT && ci < CIN) {
        uint o = band * LAYER_SIZE + (co * CIN + ci) * TAPS;
        for (uint k = 0u; k < TAPS; k++) {
            partial[o + k] = acc[k];
        }
        if (ci == 0u) {
            partial[band * LAYER_SIZE + COUT * CIN * TAPS + co] = biasAcc;
        }
    }
}
