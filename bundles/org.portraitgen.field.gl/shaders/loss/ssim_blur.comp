// One pass of SSIM's separable 11-tap Gaussian blur with zero padding (the CPU's Losses.blur), along x or, with
// VERTICAL, along y, of MAPS stacked maps of uPlanes planes [H, W] each. The window comes from core's
// ImageMetrics.ssimWindow() as a uniform, so the loss and the metric use one definition.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer In { float inMaps[]; };
layout(std430, binding = 1) writeonly buffer Out { float outMaps[]; };
layout(location = 0) uniform uint uWidth;
layout(location = 1) uniform uint uHeight;
layout(location = 2) uniform uint uTotal; // MAPS * planes * H * W
layout(location = 3) uniform float uWindow[11];

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uTotal) {
        return;
    }
    uint plane = uWidth * uHeight;
    uint base = i - i % plane;
    int x = int(i % uWidth);
    int y = int((i % plane) / uWidth);
    float s = 0.0;
    for (int j = -5; j <= 5; j++) {
#if VERTICAL
        int yy = y + j;
        if (yy >= 0 && yy < int(uHeight)) {
            s += uWindow[j + 5] * inMaps[base + uint(yy) * uWidth + uint(x)];
        }
#else
        int xx = x + j;
        if (xx >= 0 && xx < int(uWidth)) {
            s += uWindow[j + 5] * inMaps[base + uint(y) * uWidth + uint(xx)];
        }
#endif
    }
    outMaps[i] = s;
}
