// D-SSIM, step 2: from the blurred moments, SSIM per pixel and its derivatives with respect to the blurred x,
// x² and xy (scaled by -uScale, uScale = weight / (channels * H * W)), to be blurred back: the CPU's Losses.dssim
// term by term. The work group's sum of -uScale * SSIM goes to partial[uPartial + group]; the loss is weight plus
// the sum of partials.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Moments { float mom[]; };   // [5][count]: mx, my, sxx, syy, sxy
layout(std430, binding = 1) writeonly buffer Back { float back[]; };    // [3][count]: gMx, gXx, gXy
layout(std430, binding = 2) buffer Partial { float partial[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform float uScale;
layout(location = 2) uniform uint uPartial;

const float C1 = 0.01 * 0.01;
const float C2 = 0.03 * 0.03;
shared float sSum[256];

void main() {
    uint i = gl_GlobalInvocationID.x;
    float ssim = 0.0;
    if (i < uCount) {
        float a = mom[i];
        float b = mom[uCount + i];
        float vx = mom[2u * uCount + i] - a * a;
        float vy = mom[3u * uCount + i] - b * b;
        float cxy = mom[4u * uCount + i] - a * b;
        float n1 = 2.0 * a * b + C1;
        float n2 = 2.0 * cxy + C2;
        float d1 = a * a + b * b + C1;
        float d2 = vx + vy + C2;
        ssim = n1 * n2 / (d1 * d2);
        float dN1 = n2 / (d1 * d2);
        float dN2 = n1 / (d1 * d2);
        float dD1 = -ssim / d1;
        float dD2 = -ssim / d2;
        back[i] = -uScale * (dN1 * 2.0 * b - dN2 * 2.0 * b + dD1 * 2.0 * a - dD2 * 2.0 * a);
        back[uCount + i] = -uScale * dD2;
        back[2u * uCount + i] = -uScale * 2.0 * dN2;
    }
    uint t = gl_LocalInvocationIndex;
    sSum[t] = ssim;
    barrier();
    for (uint s = 128u; s > 0u; s >>= 1) {
        if (t < s) {
            sSum[t] += sSum[t + s];
        }
        barrier();
    }
    if (t == 0u) {
        partial[uPartial + gl_WorkGroupID.x] = -uScale * sSum[0];
    }
}
