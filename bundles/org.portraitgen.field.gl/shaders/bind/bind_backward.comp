// TriangleBinding.backward, one thread per Gaussian, in float: adds dL/dlocal to the flat gradient buffer (the
// local parameters' layout) from the rasterizer backward's outputs. dL/doffset = k Rᵀ dL/dmean, dL/dlogScale
// passes through, dL/dq_local = (q_triangle's left-product matrix)ᵀ dL/dquat, opacity and features pass through.
// Frames are added one after another (one dispatch each), so no atomics are needed.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) readonly buffer Frames { float frames[]; };
layout(std430, binding = 1) readonly buffer TriangleOf { uint triangleOf[]; };
// per Gaussian: dL/d(means 3, logScales 3, quats 4, opacity logit 1)
layout(std430, binding = 2) readonly buffer Geometry { float geometry[]; };
// per Gaussian SCREEN_STRIDE floats, dL/dfeatures from FEATURE_OFFSET
layout(std430, binding = 3) readonly buffer Screen { float screen[]; };
layout(std430, binding = 4) buffer Grads { float grads[]; };
layout(location = 0) uniform uint uCount;

#include "common/triangle_frame.glsl"

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    uint n = uCount;
    TriangleFrame f = triangleFrame(triangleOf[i]);
    uint g = GEOMETRY_STRIDE * i;
    vec3 vMean = vec3(geometry[g], geometry[g + 1u], geometry[g + 2u]);
    grads[3u * i] += f.k * dot(f.a, vMean);
    grads[3u * i + 1u] += f.k * dot(f.b, vMean);
    grads[3u * i + 2u] += f.k * dot(f.n, vMean);
    for (uint d = 0u; d < 3u; d++) {
        grads[3u * n + 3u * i + d] += geometry[g + 3u + d];
    }
    vec4 a = f.q;
    vec4 v = vec4(geometry[g + 6u], geometry[g + 7u], geometry[g + 8u], geometry[g + 9u]);
    uint r = 6u * n + 4u * i;
    grads[r] += a.x * v.x + a.y * v.y + a.z * v.z + a.w * v.w;
    grads[r + 1u] += -a.y * v.x + a.x * v.y + a.w * v.z - a.z * v.w;
    grads[r + 2u] += -a.z * v.x - a.w * v.y + a.x * v.z + a.y * v.w;
    grads[r + 3u] += -a.w * v.x + a.z * v.y - a.y * v.z + a.x * v.w;
    grads[10u * n + i] += geometry[g + 10u];
    uint s = SCREEN_STRIDE * i + FEATURE_OFFSET;
    uint o = 11u * n + CHANNELS * i;
    for (uint c = 0u; c < CHANNELS; c++) {
        grads[o + c] += screen[s + c];
    }
}
