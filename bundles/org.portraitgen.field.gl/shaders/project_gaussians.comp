// projectGaussians: 3D Gaussians to screen-space splats (EWA), one thread per Gaussian. Same culling as the CPU
// reference: behind the near plane, opacity under 1/255, degenerate covariance, or an ellipse (where
// opacity * exp(power) reaches 1/255) that misses the image gives tileCount 0. Also writes the depth sort keys.
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/camera.glsl"
#include "common/projected_gaussian.glsl"
#include "common/covariance2d.glsl"

layout(std430, binding = 0) readonly buffer CameraBlock { Camera cam; };
layout(std430, binding = 1) readonly buffer Means { float means[]; };
layout(std430, binding = 2) readonly buffer LogScales { float logScales[]; };
layout(std430, binding = 3) readonly buffer Quats { vec4 quats[]; };
layout(std430, binding = 4) readonly buffer OpacityLogits { float opacityLogits[]; };
layout(std430, binding = 5) writeonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 6) writeonly buffer DepthKeys { uint depthKeys[]; };
layout(std430, binding = 7) writeonly buffer DepthOrder { uint depthOrder[]; };
layout(location = 0) uniform uint uCount;

const float NEAR = 0.01;
const float DILATION = 0.3;
const float MIN_ALPHA = 1.0 / 255.0;

void cull(uint i) {
    projected[i].tileCount = 0u;
    projected[i].tileRect = ivec4(0, 0, -1, -1);
    depthKeys[i] = 0xFFFFFFFFu; // after every visible depth; its tile count is 0 anyway
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    depthOrder[i] = i;
    vec3 mean = vec3(means[3 * i], means[3 * i + 1], means[3 * i + 2]);
    vec3 tc = vec3(dot(cam.rotation[0].xyz, mean), dot(cam.rotation[1].xyz, mean), dot(cam.rotation[2].xyz, mean))
            + cam.translation.xyz;
    float opacity = 1.0 / (1.0 + exp(-opacityLogits[i]));
    if (!(tc.z >= NEAR) || opacity < MIN_ALPHA) {
        cull(i);
        return;
    }
    Cov2Terms k;
    vec3 cov = covariance2d(cam, quats[i], vec3(logScales[3 * i], logScales[3 * i + 1], logScales[3 * i + 2]), tc, k);
    float a = cov.x + DILATION;
    float b = cov.y;
    float c = cov.z + DILATION;
    float det = a * c - b * b;
    if (!(det > 0.0)) {
        cull(i);
        return;
    }
    float u = cam.intrinsics.x * tc.x / tc.z + cam.intrinsics.z;
    float v = cam.intrinsics.y * tc.y / tc.z + cam.intrinsics.w;
    float extent = sqrt(2.0 * log(255.0 * opacity));
    float ex = extent * sqrt(a);
    float ey = extent * sqrt(c);
    // clamp in float before converting: a huge ellipse would overflow int
    int px0 = int(max(0.0, ceil(u - ex)));
    int px1 = int(min(float(cam.size.x) - 1.0, floor(u + ex)));
    int py0 = int(max(0.0, ceil(v - ey)));
    int py1 = int(min(float(cam.size.y) - 1.0, floor(v + ey)));
    if (px0 > px1 || py0 > py1 || isinf(u) || isnan(u) || isinf(v) || isnan(v)) {
        cull(i);
        return;
    }
    ivec4 rect = ivec4(px0, py0, px1, py1) / TILE_SIZE;
    projected[i].xy = vec2(u, v);
    projected[i].depth = tc.z;
    projected[i].tileCount = uint((rect.z - rect.x + 1) * (rect.w - rect.y + 1));
    projected[i].conicOpacity = vec4(c / det, -b / det, a / det, opacity);
    projected[i].tileRect = rect;
    depthKeys[i] = floatBitsToUint(tc.z); // positive floats order like their bits
}
