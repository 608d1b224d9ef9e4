#version 460
// conv3x3_wgrad_coopmat.comp without matrix units (lavapipe in CI): one thread per (tap, input channel, output
// channel) of the chunk (work group y), summing over the chunk's rows and the image's columns. Same layouts.
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer In { float xin[]; };
layout(std430, binding = 1) readonly buffer G { float g[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform P { int H; int W; int WP; int ROWS; int STRIDE; } p;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= 9 * CIN * COUT) {
        return;
    }
    uint co = i % COUT;
    uint ci = (i / COUT) % CIN;
    uint t = i / (COUT * CIN);
    uint ky = t / 3;
    uint kx = t % 3;
    uint chunk = gl_WorkGroupID.y;
    uint yBegin = chunk * uint(p.ROWS);
    uint yEnd = min(yBegin + uint(p.ROWS), uint(p.H));
    float sum = 0.0;
    for (uint y = yBegin; y < yEnd; y++) {
        for (uint x = 0; x < uint(p.W); x++) {
            sum += xin[((y + ky) * uint(p.WP) + x + kx) * CIN + ci] * g[((y + 1) * uint(p.WP) + x + 1) * COUT + co];
        }
    }
    partial[chunk * uint(p.STRIDE) + i] = sum;
}
