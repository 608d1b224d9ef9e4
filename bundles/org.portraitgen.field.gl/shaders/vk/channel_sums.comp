#version 460
// Bias gradient of a 3x3 layer: per chunk of rows (work group y) the sum of the output gradient [H+2][WP][COUT]
// over the chunk's pixels, one thread per output channel, into partial[chunk][OFFSET + channel].
#ifdef FP16
#extension GL_EXT_shader_explicit_arithmetic_types_float16 : require
#extension GL_EXT_shader_16bit_storage : require
#define ACT float16_t
#else
#define ACT float
#endif
layout(local_size_x = 64) in;
layout(std430, binding = 0) readonly buffer G { ACT g[]; };
layout(std430, binding = 1) writeonly buffer Partial { float partial[]; };
layout(push_constant) uniform P { int H; int W; int WP; int ROWS; int STRIDE; int OFFSET; } p;

void main() {
    uint co = gl_GlobalInvocationID.x;
    if (co >= COUT) {
        return;
    }
    uint chunk = gl_WorkGroupID.y;
    uint yBegin = chunk * uint(p.ROWS);
    uint yEnd = min(yBegin + uint(p.ROWS), uint(p.H));
    float sum = 0.0;
    for (uint y = yBegin; y < yEnd; y++) {
        for (uint x = 0; x < uint(p.W); x++) {
            sum += float(g[((y + 1) * uint(p.WP) + x + 1) * COUT + co]);
        }
    }
    partial[chunk * uint(p.STRIDE) + uint(p.OFFSET) + co] = sum;
}
