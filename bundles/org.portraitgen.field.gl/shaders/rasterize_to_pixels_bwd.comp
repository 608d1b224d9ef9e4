// rasterizeToPixels (backward): one thread per pixel walks its own list back to front from the last Gaussian it
// composited, recovering each transmittance by division as the CPU reference does (Rasterizer.backwardTile), and
// adds the screen-space gradients into v2d [N, 7 + CHANNELS]: u, v, conic a, b, c, opacity, depth, features.
// Gaussians shared by many pixels receive atomic adds (so float sums are not bit-reproducible run to run).
// LOCKSTEP (devices with subgroup arithmetic and ballots): the lanes of a subgroup, all in one tile, walk the tile's
// list together from the subgroup's last contributor, and where REDUCE_FROM or more of them add into the same
// Gaussian its gradients are summed across the subgroup first and added by one lane: on d0's face, whose splats
// cover many pixels, 32 lanes' atomics into the same 39 floats were the lift's largest stage.
#ifdef HAS_ATOMIC_FLOAT
#extension GL_NV_shader_atomic_float : require
#endif
#if defined(HAS_SUBGROUP_REDUCE) && !defined(NO_SUBGROUP_REDUCE)
#define LOCKSTEP 1
#extension GL_KHR_shader_subgroup_basic : require
#extension GL_KHR_shader_subgroup_arithmetic : require
#extension GL_KHR_shader_subgroup_ballot : require
#endif
#ifndef REDUCE_FROM
#define REDUCE_FROM 4
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
    bool inside = pix.x < uWidth && pix.y < uHeight;
#ifndef LOCKSTEP
    if (!inside) {
        return;
    }
#endif
    uint plane = uWidth * uHeight;
    uint pixel = inside ? pix.y * uWidth + pix.x : 0u;
    uint start = tileRanges[gl_WorkGroupID.y * uTilesX + gl_WorkGroupID.x].x;
    float dC[CHANNELS];
    float accum[CHANNELS];
    float lastF[CHANNELS];
    for (int c = 0; c < CHANNELS; c++) {
        dC[c] = inside ? vFeatures[uint(c) * plane + pixel] : 0.0;
        accum[c] = 0.0;
        lastF[c] = 0.0;
    }
    float dA = inside ? vAux[uAuxOffset + pixel] : 0.0;
    float dD = inside ? vAux[uAuxOffset + plane + pixel] : 0.0;
    float finalT = inside ? aux[2u * plane + pixel] : 1.0;
    float T = finalT;
    float accD = 0.0;
    float lastDepth = 0.0;
    float lastAlpha = 0.0;
    vec2 p = vec2(pix);
    uint last = inside ? lastContributor[pixel] : start;
#ifdef LOCKSTEP
    uint top = subgroupMax(last);
#else
    uint top = last;
#endif
    for (uint k = top; k > start; k--) {
        uint id = isectIds[k - 1u];
        ProjectedGaussian g = projected[id];
        vec4 co = g.conicOpacity;
        vec2 d = g.xy - p;
        float power = -0.5 * (co.x * d.x * d.x + co.z * d.y * d.y) - co.y * d.x * d.y;
        float gauss = exp(power);
        float raw = co.w * gauss;
        float alpha = min(MAX_ALPHA, raw);
        // as the reference: Gaussians past this pixel's last, outside its footprint or too faint are skipped
        bool contributes = k <= last && !(power > 0.0) && !(alpha < MIN_ALPHA);
        float weight = 0.0;
        float gAlpha = 0.0;
        uint o = id * uint(STRIDE);
        if (contributes) {
            T /= 1.0 - alpha;
            weight = alpha * T;
            uint fo = id * uint(CHANNELS);
            for (int c = 0; c < CHANNELS; c++) {
                accum[c] = lastAlpha * lastF[c] + (1.0 - lastAlpha) * accum[c];
                float f = features[fo + uint(c)];
                lastF[c] = f;
                gAlpha += (f - accum[c]) * dC[c];
            }
            accD = lastAlpha * lastDepth + (1.0 - lastAlpha) * accD;
            lastDepth = g.depth;
            gAlpha += (g.depth - accD) * dD;
            gAlpha *= T;
            // the output alpha 1 - prod(1 - alpha) depends on each alpha through the others' product
            gAlpha += dA * finalT / (1.0 - alpha);
            lastAlpha = alpha;
        }
        // clamped: alpha does not move with this Gaussian's parameters
        bool geometric = contributes && !(raw > MAX_ALPHA);
        float gPower = geometric ? gauss * co.w * gAlpha : 0.0;
        float geo[6];
        geo[0] = geometric ? gPower * (-co.x * d.x - co.y * d.y) : 0.0;
        geo[1] = geometric ? gPower * (-co.z * d.y - co.y * d.x) : 0.0;
        geo[2] = geometric ? -0.5 * d.x * d.x * gPower : 0.0;
        geo[3] = geometric ? -d.x * d.y * gPower : 0.0;
        geo[4] = geometric ? -0.5 * d.y * d.y * gPower : 0.0;
        geo[5] = geometric ? gauss * gAlpha : 0.0;
#ifdef LOCKSTEP
        uint lanes = subgroupBallotBitCount(subgroupBallot(contributes));
        if (lanes == 0u) {
            continue;
        }
        if (lanes >= uint(REDUCE_FROM)) {
            // every lane is on the same Gaussian (one tile, one k): one atomic per value for the subgroup
            for (int c = 0; c < CHANNELS; c++) {
                float sum = subgroupAdd(contributes ? weight * dC[c] : 0.0);
                if (subgroupElect()) {
                    addGradient(o + 7u + uint(c), sum);
                }
            }
            float depthSum = subgroupAdd(contributes ? weight * dD : 0.0);
            uint geometricLanes = subgroupBallotBitCount(subgroupBallot(geometric));
            float geoSum[6];
            for (int v = 0; v < 6; v++) {
                geoSum[v] = geometricLanes == 0u ? 0.0 : subgroupAdd(geo[v]);
            }
            if (subgroupElect()) {
                addGradient(o + 6u, depthSum);
                if (geometricLanes != 0u) {
                    for (uint v = 0u; v < 5u; v++) {
                        addGradient(o + v, geoSum[v]);
                    }
                    addGradient(o + 5u, geoSum[5]);
                }
            }
            continue;
        }
#endif
        if (contributes) {
            for (int c = 0; c < CHANNELS; c++) {
                addGradient(o + 7u + uint(c), weight * dC[c]);
            }
            addGradient(o + 6u, weight * dD);
            if (geometric) {
                for (uint v = 0u; v < 5u; v++) {
                    addGradient(o + v, geo[v]);
                }
                addGradient(o + 5u, geo[5]);
            }
        }
    }
}
