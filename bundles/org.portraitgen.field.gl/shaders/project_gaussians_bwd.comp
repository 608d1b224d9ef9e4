// projectGaussians (backward): one thread per Gaussian, from the screen-space gradients in v2d to the parameters'
// (Projection.backwardOne in the CPU reference). vGeometry [N, 11]: means 3, logScales 3, quats 4, opacity logit.
// Culled Gaussians get zeros, as on the CPU.
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/camera.glsl"
#include "common/projected_gaussian.glsl"
#include "common/covariance2d.glsl"
#include "common/covariance2d_backward.glsl"

#define STRIDE (7 + CHANNELS)

layout(std430, binding = 0) readonly buffer CameraBlock { Camera cam; };
layout(std430, binding = 1) readonly buffer Means { float means[]; };
layout(std430, binding = 2) readonly buffer LogScales { float logScales[]; };
layout(std430, binding = 3) readonly buffer Quats { vec4 quats[]; };
layout(std430, binding = 4) readonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 5) readonly buffer V2d { float v2d[]; };
layout(std430, binding = 6) writeonly buffer VGeometry { float vGeometry[]; };
layout(location = 0) uniform uint uCount;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    uint out0 = 11u * i;
    ProjectedGaussian p = projected[i];
    if (p.tileCount == 0u) {
        for (uint k = 0u; k < 11u; k++) {
            vGeometry[out0 + k] = 0.0;
        }
        return;
    }
    uint o = i * uint(STRIDE);
    float gu = v2d[o], gv = v2d[o + 1u], ga = v2d[o + 2u], gb = v2d[o + 3u], gc = v2d[o + 4u];
    float gop = v2d[o + 5u], gz = v2d[o + 6u];
    float op = p.conicOpacity.w;
    // conic = cov2^-1: dL/dcov2 = -Q G Q with G the full-matrix gradient of Q
    float qa = p.conicOpacity.x, qb = p.conicOpacity.y, qc = p.conicOpacity.z;
    float gb2 = 0.5 * gb;
    float m00 = ga * qa + gb2 * qb;
    float m01 = ga * qb + gb2 * qc;
    float m10 = gb2 * qa + gc * qb;
    float m11 = gb2 * qb + gc * qc;
    vec3 gCov = vec3(-(qa * m00 + qb * m10), -2.0 * (qa * m01 + qb * m11), -(qb * m01 + qc * m11));
    vec3 mean = vec3(means[3u * i], means[3u * i + 1u], means[3u * i + 2u]);
    vec3 tc = vec3(dot(cam.rotation[0].xyz, mean), dot(cam.rotation[1].xyz, mean), dot(cam.rotation[2].xyz, mean))
            + cam.translation.xyz;
    Cov2Terms k;
    covariance2d(cam, quats[i], vec3(logScales[3u * i], logScales[3u * i + 1u], logScales[3u * i + 2u]), tc, k);
    vec3 gT = vec3(0.0);
    vec3 gLogScale;
    vec4 gQuat;
    covariance2dBackward(cam, tc, k, gCov, gT, gLogScale, gQuat);
    float fx = cam.intrinsics.x;
    float fy = cam.intrinsics.y;
    float iz = 1.0 / tc.z;
    gT.x += gu * fx * iz;
    gT.y += gv * fy * iz;
    gT.z += -(gu * fx * tc.x + gv * fy * tc.y) * iz * iz + gz;
    vec3 gMean = gT.x * cam.rotation[0].xyz + gT.y * cam.rotation[1].xyz + gT.z * cam.rotation[2].xyz;
    vGeometry[out0] = gMean.x;
    vGeometry[out0 + 1u] = gMean.y;
    vGeometry[out0 + 2u] = gMean.z;
    vGeometry[out0 + 3u] = gLogScale.x;
    vGeometry[out0 + 4u] = gLogScale.y;
    vGeometry[out0 + 5u] = gLogScale.z;
    vGeometry[out0 + 6u] = gQuat.x;
    vGeometry[out0 + 7u] = gQuat.y;
    vGeometry[out0 + 8u] = gQuat.z;
    vGeometry[out0 + 9u] = gQuat.w;
    vGeometry[out0 + 10u] = gop * op * (1.0 - op);
}
