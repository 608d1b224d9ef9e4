#version 460
// Bias gradient of a 3x3 layer: per chunk of rows (work group y) the sum of the output gradient [H+2][WP][COUT]
// over the chunk's pixels into partial[chunk][OFFSET + channel]. COUT at most 256.
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 256) in;
layout(std430, binding = 0) readonly buffer G { ACT g[]; };
layout(std430, binding = 1) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform P { int H; int W; int WP; int ROWS; int STRIDE; int OFFSET; } p;

// LANES threads per channel, each summing every LANES-th pixel of the chunk, then added up in shared memory: one
// thread per channel walking the chunk's pixels was a chain of ROWS x W dependent loads
#define LANES (256 / COUT)
shared float lanes[256];

void main() {
    uint lid = gl_LocalInvocationID.x;
    uint co = lid % COUT;
    uint lane = lid / COUT;
    uint chunk = gl_WorkGroupID.y;
    uint yBegin = chunk * uint(p.ROWS);
    uint yEnd = min(yBegin + uint(p.ROWS), uint(p.H));
    uint w = uint(p.W);
    uint pixels = yEnd > yBegin ? (yEnd - yBegin) * w : 0u;
    float sum = 0.0;
    if (lane < LANES) {
        for (uint k = lane; k < pixels; k += LANES) {
            uint y = yBegin + k / w;
            uint x = k % w;
            sum += float(g[((y + 1) * uint(p.WP) + x + 1) * COUT + co]);
        }
    }
    lanes[lid] = sum;
    barrier();
    if (lane == 0) {
        for (uint l = 1; l < LANES; l++) {
            sum += lanes[l * COUT + co];
        }
        partial[chunk * uint(p.STRIDE) + uint(p.OFFSET) + co] = sum;
    }
}
