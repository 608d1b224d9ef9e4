// rasterizeToPixels (forward): one work group per 16x16 tile, one thread per pixel, front-to-back compositing of
// CHANNELS features, alpha and depth. Exactly the CPU reference's rules (Rasterizer.java): alpha =
// min(0.99, opacity * exp(power)), skip power > 0 and alpha < 1/255, stop before the Gaussian that would take the
// transmittance under 1e-4. The tile's Gaussians are staged through shared memory one batch at a time.
layout(local_size_x = TILE_SIZE, local_size_y = TILE_SIZE) in;

#include "common/projected_gaussian.glsl"

#define BATCH (TILE_SIZE * TILE_SIZE)
const float MAX_ALPHA = 0.99;
const float MIN_ALPHA = 1.0 / 255.0;
const float MIN_TRANSMITTANCE = 1e-4;

layout(std430, binding = 0) readonly buffer Projected { ProjectedGaussian projected[]; };
// features as vec4s: one 16-byte load per four channels (the loads, not the multiply-adds, bound this loop)
#define CHANNEL_VECS ((CHANNELS + 3) / 4)
#if CHANNELS % 4 == 0
layout(std430, binding = 1) readonly buffer Features { vec4 features4[]; };
#else
layout(std430, binding = 1) readonly buffer Features { float features[]; };
#endif
layout(std430, binding = 2) readonly buffer IsectIds { uint isectIds[]; };
layout(std430, binding = 3) readonly buffer TileRanges { uvec2 tileRanges[]; };
layout(std430, binding = 4) writeonly buffer OutFeatures { float outFeatures[]; };   // [C, H, W]
layout(std430, binding = 5) writeonly buffer OutAux { float outAux[]; };             // [alpha, depth, T][H, W]
layout(std430, binding = 6) writeonly buffer OutLast { uint outLast[]; };            // [H, W]
layout(location = 0) uniform uint uWidth;
layout(location = 1) uniform uint uHeight;
layout(location = 2) uniform uint uTilesX;

shared uint sId[BATCH];
shared vec2 sXy[BATCH];
shared vec4 sConicOpacity[BATCH];
shared float sDepth[BATCH];
shared uint sDone;

void main() {
    uvec2 pix = gl_WorkGroupID.xy * TILE_SIZE + gl_LocalInvocationID.xy;
    uint thread = gl_LocalInvocationIndex;
    bool inside = pix.x < uWidth && pix.y < uHeight;
    bool done = !inside;
    uvec2 range = tileRanges[gl_WorkGroupID.y * uTilesX + gl_WorkGroupID.x];
    vec2 p = vec2(pix);
    vec4 acc[CHANNEL_VECS];
    for (int c = 0; c < CHANNEL_VECS; c++) {
        acc[c] = vec4(0.0);
    }
    float T = 1.0;
    float depth = 0.0;
    uint last = range.x;
    for (uint batch = range.x; batch < range.y; batch += BATCH) {
        if (thread == 0u) {
            sDone = 0u;
        }
        barrier();
        if (done) {
            atomicAdd(sDone, 1u);
        }
        barrier();
        if (sDone == BATCH) {
            break; // every pixel of the tile is saturated (uniform across the work group)
        }
        uint k = batch + thread;
        if (k < range.y) {
            uint id = isectIds[k];
            sId[thread] = id;
            sXy[thread] = projected[id].xy;
            sConicOpacity[thread] = projected[id].conicOpacity;
            sDepth[thread] = projected[id].depth;
        }
        barrier();
        uint n = min(uint(BATCH), range.y - batch);
        for (uint j = 0u; j < n && !done; j++) {
            vec4 co = sConicOpacity[j];
            vec2 d = sXy[j] - p;
            float power = -0.5 * (co.x * d.x * d.x + co.z * d.y * d.y) - co.y * d.x * d.y;
            if (power > 0.0) {
                continue;
            }
            float alpha = min(MAX_ALPHA, co.w * exp(power));
            if (alpha < MIN_ALPHA) {
                continue;
            }
            float nextT = T * (1.0 - alpha);
            if (nextT < MIN_TRANSMITTANCE) {
                done = true;
                break;
            }
            float weight = alpha * T;
#if CHANNELS % 4 == 0
            uint fo = sId[j] * uint(CHANNEL_VECS);
            for (int c = 0; c < CHANNEL_VECS; c++) {
                acc[c] += features4[fo + uint(c)] * weight;
            }
#else
            uint fo = sId[j] * uint(CHANNELS);
            for (int c = 0; c < CHANNELS; c++) {
                acc[c / 4][c % 4] += features[fo + uint(c)] * weight;
            }
#endif
            depth += sDepth[j] * weight;
            T = nextT;
            last = batch + j + 1u;
        }
        barrier(); // the next batch overwrites shared memory
    }
    if (!inside) {
        return;
    }
    uint plane = uWidth * uHeight;
    uint pixel = pix.y * uWidth + pix.x;
    for (int c = 0; c < CHANNELS; c++) {
        outFeatures[uint(c) * plane + pixel] = acc[c / 4][c % 4];
    }
    outAux[pixel] = 1.0 - T;
    outAux[plane + pixel] = depth;
    outAux[2u * plane + pixel] = T;
    outLast[pixel] = last;
}
