// rasterizeToPixels (backward): one work group per 16x16 tile, one thread per pixel. The tile's Gaussians are walked
// back to front from the last one any pixel composited, a batch at a time staged in shared memory, all threads on
// the same Gaussian at once; each pixel takes part from its own last contributor on, recovering each transmittance
// by division as the CPU reference does (Rasterizer.backwardTile), and adds the screen-space gradients into v2d
// [N, 7 + CHANNELS]: u, v, conic a, b, c, opacity, depth, features. Since every thread works on the same Gaussian,
// with subgroups (SUBGROUP_REDUCE) a subgroup sums its pixels' gradients first and adds them with one atomic, not
// one per pixel; without, each pixel adds its own. Float sums by atomics are not bit-reproducible run to run.
#ifdef HAS_ATOMIC_FLOAT
#extension GL_NV_shader_atomic_float : require
#endif
#if SUBGROUP_REDUCE
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_vote : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#endif
layout(local_size_x = TILE_SIZE, local_size_y = TILE_SIZE) in;

#include "common/projected_gaussian.glsl"

#define BATCH (TILE_SIZE * TILE_SIZE)
const float MAX_ALPHA = 0.99;
const float MIN_ALPHA = 1.0 / 255.0;
#define STRIDE (7 + CHANNELS)

layout(std430, binding = 0) readonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 1) readonly buffer Features { float features[]; };
layout(std430, binding = 2) readonly buffer IsectIds { uint isectIds[]; };
layout(std430, binding = 3) readonly buffer TileRanges { uvec2 tileRanges[]; };
layout(std430, binding = 4) readonly buffer Aux { float aux[]; };          // [alpha, depth, T][H, W]
layout(std430, binding = 5) readonly buffer Last { uint lastContributor[]; };
layout(std430, binding = 6) readonly buffer VImages { float vImages[]; };  // [C + 2, H, W]: features, alpha, depth
#ifdef HAS_ATOMIC_FLOAT
layout(std430, binding = 7) buffer V2d { float v2d[]; };
#else
layout(std430, binding = 7) buffer V2d { uint v2d[]; };
#endif
#define GRADIENTS v2d
#include "common/atomic_add_float.glsl"
layout(location = 0) uniform uint uWidth;
layout(location = 1) uniform uint uHeight;
layout(location = 2) uniform uint uTilesX;

shared uint sId[BATCH];
shared vec2 sXy[BATCH];
shared vec4 sConicOpacity[BATCH];
shared float sDepth[BATCH];
shared uint sEnd;

// Adds one pixel's gradient (0 where the pixel does not take part) for the Gaussian all threads are on. Called in
// uniform control flow of the subgroup.
void addForGaussian(uint index, float value) {
#if SUBGROUP_REDUCE
    float sum = subgroupAdd(value);
    if (subgroupElect()) {
        addGradient(index, sum);
    }
#else
    if (value != 0.0) {
        addGradient(index, value);
    }
#endif
}

void main() {
    uvec2 pix = gl_WorkGroupID.xy * TILE_SIZE + gl_LocalInvocationID.xy;
    uint thread = gl_LocalInvocationIndex;
    bool inside = pix.x < uWidth && pix.y < uHeight;
    uint plane = uWidth * uHeight;
    uint pixel = pix.y * uWidth + pix.x;
    uvec2 range = tileRanges[gl_WorkGroupID.y * uTilesX + gl_WorkGroupID.x];
    // this pixel's list is [range.x, last): the forward stopped there
    uint last = inside ? lastContributor[pixel] : range.x;
    float dC[CHANNELS];
    float accum[CHANNELS];
    float lastF[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
        dC[c] = inside ? vImages[uint(c) * plane + pixel] : 0.0;
        accum[c] = 0.0;
        lastF[c] = 0.0;
    }
    float dA = inside ? vImages[uint(CHANNELS) * plane + pixel] : 0.0;
    float dD = inside ? vImages[uint(CHANNELS + 1) * plane + pixel] : 0.0;
    float finalT = inside ? aux[2u * plane + pixel] : 1.0;
    float T = finalT;
    float accD = 0.0;
    float lastDepth = 0.0;
    float lastAlpha = 0.0;
    vec2 p = vec2(pix);
    if (thread == 0u) {
        sEnd = range.x;
    }
    barrier();
    atomicMax(sEnd, last);
    barrier();
    uint end = sEnd;
    for (uint batchEnd = end; batchEnd > range.x;) {
        uint n = min(uint(BATCH), batchEnd - range.x);
        uint batchStart = batchEnd - n;
        if (thread < n) {
            uint id = isectIds[batchStart + thread];
            sId[thread] = id;
            sXy[thread] = projected[id].xy;
            sConicOpacity[thread] = projected[id].conicOpacity;
            sDepth[thread] = projected[id].depth;
        }
        barrier();
        for (uint j = n; j > 0u;) {
            j--;
            vec4 co = sConicOpacity[j];
            vec2 d = sXy[j] - p;
            float power = -0.5 * (co.x * d.x * d.x + co.z * d.y * d.y) - co.y * d.x * d.y;
            float gauss = exp(power);
            float raw = co.w * gauss;
            float alpha = min(MAX_ALPHA, raw);
            bool takesPart = batchStart + j < last && power <= 0.0 && alpha >= MIN_ALPHA;
#if SUBGROUP_REDUCE
            if (!subgroupAny(takesPart)) {
                continue;
            }
#else
            if (!takesPart) {
                continue;
            }
#endif
            uint id = sId[j];
            uint o = id * uint(STRIDE);
            uint fo = id * uint(CHANNELS);
            float depth = sDepth[j];
            float weight = 0.0;
            float gAlpha = 0.0;
            if (takesPart) {
                T /= 1.0 - alpha;
                weight = alpha * T;
            }
            for (int c = 0; c < CHANNELS; c++) {
                addForGaussian(o + 7u + uint(c), weight * dC[c]);
                if (takesPart) {
                    accum[c] = lastAlpha * lastF[c] + (1.0 - lastAlpha) * accum[c];
                    float f = features[fo + uint(c)];
                    lastF[c] = f;
                    gAlpha += (f - accum[c]) * dC[c];
                }
            }
            addForGaussian(o + 6u, weight * dD);
            bool geometry = false;
            if (takesPart) {
                accD = lastAlpha * lastDepth + (1.0 - lastAlpha) * accD;
                lastDepth = depth;
                gAlpha += (depth - accD) * dD;
                gAlpha *= T;
                // the output alpha 1 - prod(1 - alpha) depends on each alpha through the others' product
                gAlpha += dA * finalT / (1.0 - alpha);
                lastAlpha = alpha;
                geometry = raw <= MAX_ALPHA; // clamped: alpha does not move with this Gaussian's parameters
            }
#if SUBGROUP_REDUCE
            if (!subgroupAny(geometry)) {
                continue;
            }
#else
            if (!geometry) {
                continue;
            }
#endif
            float gPower = geometry ? gauss * co.w * gAlpha : 0.0;
            addForGaussian(o + 5u, geometry ? gauss * gAlpha : 0.0);
            addForGaussian(o, gPower * (-co.x * d.x - co.y * d.y));
            addForGaussian(o + 1u, gPower * (-co.z * d.y - co.y * d.x));
            addForGaussian(o + 2u, -0.5 * d.x * d.x * gPower);
            addForGaussian(o + 3u, -d.x * d.y * gPower);
            addForGaussian(o + 4u, -0.5 * d.y * d.y * gPower);
        }
        batchEnd = batchStart;
        barrier(); // the next batch overwrites shared memory
    }
}
