// rasterizeToPixels (backward): one thread per pixel walks its own list back to front from the last Gaussian it
// composited, recovering each transmittance by division as the CPU reference does (Rasterizer.backwardTile), and
// adds the screen-space gradients into v2d [N, 7 + CHANNELS]: u, v, conic a, b, c, opacity, depth, features.
// Gaussians shared by many pixels receive atomic adds (so float sums are not bit-reproducible run to run).
#ifdef HAS_ATOMIC_FLOAT
#extension GL_NV_shader_atomic_float : require
#endif
layout(local_size_x = TILE_SIZE, local_size_y = TILE_SIZE) in;

#include "common/projected_gaussian.glsl"

const float MAX_ALPHA = 0.99;
const float MIN_ALPHA = 1.0 / 255.0;
#define STRIDE (7 + CHANNELS)

layout(std430, binding = 0) readonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 1) readonly buffer Features { float features[]; };
layout(std430, binding = 2) readonly buffer IsectIds { uint isectIds[]; };
layout(std430, binding = 3) readonly buffer TileRanges { uvec2 tileRanges[]; };
layout(std430, binding = 4) readonly buffer Aux { float aux[]; };          // [alpha, depth, T][H, W]
layout(std430, binding = 5) readonly buffer Last { uint lastContributor[]; };
layout(std430, binding = 6) readonly buffer VFeatures { float vFeatures[]; };  // [C, H, W]
// dL/d(alpha, depth) [2, H, W] from uAuxOffset: the planes after the features when one buffer holds all C + 2
layout(std430, binding = 8) readonly buffer VAux { float vAux[]; };
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
layout(location = 3) uniform uint uAuxOffset;

void main() {
    uvec2 pix = gl_WorkGroupID.xy * TILE_SIZE + gl_LocalInvocationID.xy;
    if (pix.x >= uWidth || pix.y >= uHeight) {
        return;
    }
    uint plane = uWidth * uHeight;
    uint pixel = pix.y * uWidth + pix.x;
    uint start = tileRanges[gl_WorkGroupID.y * uTilesX + gl_WorkGroupID.x].x;
    float dC[CHANNELS];
    float accum[CHANNELS];
    float lastF[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
        dC[c] = vFeatures[uint(c) * plane + pixel];
        accum[c] = 0.0;
        lastF[c] = 0.0;
    }
    float dA = vAux[uAuxOffset + pixel];
    float dD = vAux[uAuxOffset + plane + pixel];
    float finalT = aux[2u * plane + pixel];
    float T = finalT;
    float accD = 0.0;
    float lastDepth = 0.0;
    float lastAlpha = 0.0;
    vec2 p = vec2(pix);
    for (uint k = lastContributor[pixel]; k > start; k--) {
        uint id = isectIds[k - 1u];
        ProjectedGaussian g = projected[id];
        vec4 co = g.conicOpacity;
        vec2 d = g.xy - p;
        float power = -0.5 * (co.x * d.x * d.x + co.z * d.y * d.y) - co.y * d.x * d.y;
        if (power > 0.0) {
            continue;
        }
        float gauss = exp(power);
        float raw = co.w * gauss;
        float alpha = min(MAX_ALPHA, raw);
        if (alpha < MIN_ALPHA) {
            continue;
        }
        T /= 1.0 - alpha;
        float weight = alpha * T;
        uint o = id * uint(STRIDE);
        uint fo = id * uint(CHANNELS);
        float gAlpha = 0.0;
        for (int c = 0; c < CHANNELS; c++) {
            addGradient(o + 7u + uint(c), weight * dC[c]);
            accum[c] = lastAlpha * lastF[c] + (1.0 - lastAlpha) * accum[c];
            float f = features[fo + uint(c)];
            lastF[c] = f;
            gAlpha += (f - accum[c]) * dC[c];
        }
        accD = lastAlpha * lastDepth + (1.0 - lastAlpha) * accD;
        lastDepth = g.depth;
        gAlpha += (g.depth - accD) * dD;
        addGradient(o + 6u, weight * dD);
        gAlpha *= T;
        // the output alpha 1 - prod(1 - alpha) depends on each alpha through the others' product
        gAlpha += dA * finalT / (1.0 - alpha);
        lastAlpha = alpha;
        if (raw > MAX_ALPHA) {
            continue; // clamped: alpha does not move with this Gaussian's parameters
        }
        float gPower = gauss * co.w * gAlpha;
        addGradient(o + 5u, gauss * gAlpha);
        addGradient(o, gPower * (-co.x * d.x - co.y * d.y));
        addGradient(o + 1u, gPower * (-co.z * d.y - co.y * d.x));
        addGradient(o + 2u, -0.5 * d.x * d.x * gPower);
        addGradient(o + 3u, -d.x * d.y * gPower);
        addGradient(o + 4u, -0.5 * d.y * d.y * gPower);
    }
}
