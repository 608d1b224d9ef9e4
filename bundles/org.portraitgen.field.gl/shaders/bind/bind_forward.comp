// TriangleBinding.toWorld, one thread per Gaussian, in float: mean = Σ b_j v_j + k R offset, logScale = log k +
// local logScale, quat = q_triangle ⊗ q_local. The local parameters are one flat buffer in the optimiser's group
// order (offsets [N, 3], log-scales [N, 3], quaternions [N, 4], opacity logits [N], features [N, C]); opacity and
// features pass through by a buffer copy on the host side, not here.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) readonly buffer Frames { float frames[]; };
layout(std430, binding = 1) readonly buffer Vertices { float vertices[]; };
layout(std430, binding = 2) readonly buffer Triangles { uint triangles[]; };
layout(std430, binding = 3) readonly buffer TriangleOf { uint triangleOf[]; };
layout(std430, binding = 4) readonly buffer Barycentrics { float barycentrics[]; };
layout(std430, binding = 5) readonly buffer Local { float local[]; };
layout(std430, binding = 6) writeonly buffer Means { float means[]; };
layout(std430, binding = 7) writeonly buffer LogScales { float logScales[]; };
layout(std430, binding = 8) writeonly buffer Quats { float quats[]; };
layout(location = 0) uniform uint uCount;

#include "common/triangle_frame.glsl"

vec3 vertex(uint v) {
    return vec3(vertices[3u * v], vertices[3u * v + 1u], vertices[3u * v + 2u]);
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    uint n = uCount;
    uint t = triangleOf[i];
    TriangleFrame f = triangleFrame(t);
    vec3 p = barycentrics[3u * i] * vertex(triangles[3u * t]) + barycentrics[3u * i + 1u]
            * vertex(triangles[3u * t + 1u]) + barycentrics[3u * i + 2u] * vertex(triangles[3u * t + 2u]);
    vec3 offset = vec3(local[3u * i], local[3u * i + 1u], local[3u * i + 2u]);
    vec3 mean = p + f.k * (f.a * offset.x + f.b * offset.y + f.n * offset.z);
    float logK = log(f.k);
    uint s = 3u * n + 3u * i;
    uint r = 6u * n + 4u * i;
    for (uint d = 0u; d < 3u; d++) {
        means[3u * i + d] = mean[d];
        logScales[3u * i + d] = logK + local[s + d];
    }
    vec4 a = f.q;
    vec4 b = vec4(local[r], local[r + 1u], local[r + 2u], local[r + 3u]);
    quats[4u * i] = a.x * b.x - a.y * b.y - a.z * b.z - a.w * b.w;
    quats[4u * i + 1u] = a.x * b.y + a.y * b.x + a.z * b.w - a.w * b.z;
    quats[4u * i + 2u] = a.x * b.z - a.y * b.w + a.z * b.x + a.w * b.y;
    quats[4u * i + 3u] = a.x * b.w + a.y * b.z - a.z * b.y + a.w * b.x;
}
