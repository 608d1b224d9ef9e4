// One thread per rig triangle: its frame as the CPU's TriangleFrames.of, in float. First axis along the edge
// v0→v1, third along the normal, second their cross product; scale k = mean of that edge's length and the
// triangle's height on it; the rotation as a quaternion by Shepperd's method (Quaternions.fromMatrix).
// Frames are FRAME_STRIDE floats: axes a, b, n (the rotation's columns), quaternion (w, x, y, z), k.
// A triangle of zero area or with non-finite vertices records (slot · count + triangle) in status[0] by
// atomicMin, so the host names the first bad one after the step, as TriangleFrames.of's message does.
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/finite.glsl"

layout(std430, binding = 0) readonly buffer Vertices { float vertices[]; };
layout(std430, binding = 1) readonly buffer Triangles { uint triangles[]; };
layout(std430, binding = 2) writeonly buffer Frames { float frames[]; };
layout(std430, binding = 3) buffer Status { int status[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uSlot;

vec3 vertex(uint v) {
    return vec3(vertices[3u * v], vertices[3u * v + 1u], vertices[3u * v + 2u]);
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    vec3 va = vertex(triangles[3u * i]);
    vec3 e0 = vertex(triangles[3u * i + 1u]) - va;
    vec3 e1 = vertex(triangles[3u * i + 2u]) - va;
    vec3 n = cross(e0, e1);
    float crossLength = length(n);
    float len0 = length(e0);
    float longest = max(len0, length(e1));
    if (!(crossLength > 1e-10 * longest * longest) || !isFiniteBits(crossLength)) {
        atomicMin(status[0], int(uSlot * uCount + i));
        return;
    }
    vec3 a = e0 / len0;
    n /= crossLength;
    vec3 b = cross(n, a);
    // row-major m[3 row + column], columns a, b, n
    float m0 = a.x, m1 = b.x, m2 = n.x;
    float m3 = a.y, m4 = b.y, m5 = n.y;
    float m6 = a.z, m7 = b.z, m8 = n.z;
    float tr = m0 + m4 + m8;
    vec4 q;
    if (tr > 0.0) {
        float s = sqrt(tr + 1.0) * 2.0;
        q = vec4(0.25 * s, (m7 - m5) / s, (m2 - m6) / s, (m3 - m1) / s);
    } else if (m0 > m4 && m0 > m8) {
        float s = sqrt(1.0 + m0 - m4 - m8) * 2.0;
        q = vec4((m7 - m5) / s, 0.25 * s, (m1 + m3) / s, (m2 + m6) / s);
    } else if (m4 > m8) {
        float s = sqrt(1.0 + m4 - m0 - m8) * 2.0;
        q = vec4((m2 - m6) / s, (m1 + m3) / s, 0.25 * s, (m5 + m7) / s);
    } else {
        float s = sqrt(1.0 + m8 - m0 - m4) * 2.0;
        q = vec4((m3 - m1) / s, (m2 + m6) / s, (m5 + m7) / s, 0.25 * s);
    }
    uint o = FRAME_STRIDE * i;
    frames[o] = a.x;
    frames[o + 1u] = a.y;
    frames[o + 2u] = a.z;
    frames[o + 3u] = b.x;
    frames[o + 4u] = b.y;
    frames[o + 5u] = b.z;
    frames[o + 6u] = n.x;
    frames[o + 7u] = n.y;
    frames[o + 8u] = n.z;
    frames[o + 9u] = q.x;
    frames[o + 10u] = q.y;
    frames[o + 11u] = q.z;
    frames[o + 12u] = q.w;
    frames[o + 13u] = 0.5 * (len0 + crossLength / len0);
}
