// projectGaussians: 3D Gaussians to screen-space splats (EWA), one thread per Gaussian. Same culling as the CPU
// reference: behind the near plane, opacity under 1/255, degenerate covariance, or an ellipse (where
// opacity * exp(power) reaches 1/255) that misses the image gives tileCount 0. Also writes the depth sort keys and
// which key bits vary among visible Gaussians (OR and AND of all keys), so the sort can skip constant digits.
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/camera.glsl"
#include "common/projected_gaussian.glsl"
#include "common/covariance2d.glsl"

layout(std430, binding = 0) readonly buffer CameraBlock { Camera cam; };
layout(std430, binding = 1) readonly buffer Means { float means[]; };
layout(std430, binding = 2) readonly buffer LogScales { float logScales[]; };
layout(std430, binding = 3) readonly buffer Quats { vec4 quats[]; };
layout(std430, binding = 4) readonly buffer OpacityLogits { float opacityLogits[]; };
layout(std430, binding = 5) buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 6) writeonly buffer DepthKeys { uint depthKeys[]; };
layout(std430, binding = 7) writeonly buffer DepthOrder { uint depthOrder[]; };
layout(std430, binding = 8) buffer DepthKeyBits { uint anyOne; uint allOnes; };
layout(location = 0) uniform uint uCount;

shared uint sAnyOne;
shared uint sAllOnes;

const float NEAR = 0.01;
const float DILATION = 0.3;
const float MIN_ALPHA = 1.0 / 255.0;

bool cull(uint i) {
    projected[i].tileCount = 0u;
    projected[i].tileRect = ivec4(0, 0, -1, -1);
    depthKeys[i] = 0u; // where a culled Gaussian sorts does not matter: it has no tiles
    return false;
}

// Returns whether Gaussian i is visible; its sort key is then floatBitsToUint(depth).
bool project(uint i) {
    depthOrder[i] = i;
    vec3 mean = vec3(means[3 * i], means[3 * i + 1], means[3 * i + 2]);
    vec3 tc = vec3(dot(cam.rotation[0].xyz, mean), dot(cam.rotation[1].xyz, mean), dot(cam.rotation[2].xyz, mean))
            + cam.translation.xyz;
    float opacity = 1.0 / (1.0 + exp(-opacityLogits[i]));
    if (!(tc.z >= NEAR) || opacity < MIN_ALPHA) {
        return cull(i);
    }
    Cov2Terms k;
    vec3 cov = covariance2d(cam, quats[i], vec3(logScales[3 * i], logScales[3 * i + 1], logScales[3 * i + 2]), tc, k);
    float a = cov.x + DILATION;
    float b = cov.y;
    float c = cov.z + DILATION;
    float det = a * c - b * b;
    if (!(det > 0.0)) {
        return cull(i);
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
        return cull(i);
    }
    ivec4 rect = ivec4(px0, py0, px1, py1) / TILE_SIZE;
    projected[i].xy = vec2(u, v);
    projected[i].depth = tc.z;
    projected[i].tileCount = uint((rect.z - rect.x + 1) * (rect.w - rect.y + 1));
    projected[i].conicOpacity = vec4(c / det, -b / det, a / det, opacity);
    projected[i].tileRect = rect;
    depthKeys[i] = floatBitsToUint(tc.z); // positive floats order like their bits
    return true;
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (gl_LocalInvocationIndex == 0u) {
        sAnyOne = 0u;
        sAllOnes = 0xFFFFFFFFu;
    }
    barrier();
    if (i < uCount && project(i)) {
        uint key = floatBitsToUint(projected[i].depth);
        atomicOr(sAnyOne, key);
        atomicAnd(sAllOnes, key);
    }
    barrier();
    if (gl_LocalInvocationIndex == 0u) {
        atomicOr(anyOne, sAnyOne);
        atomicAnd(allOnes, sAllOnes);
    }
}
