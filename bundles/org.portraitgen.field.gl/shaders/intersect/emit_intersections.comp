// intersectTiles, step 2: one (tile, Gaussian) pair per tile of each Gaussian's rectangle, written in depth order.
// A stable sort by tile afterwards leaves each tile's Gaussians front to back, ties in depth by Gaussian index
// (the depth sort was stable over indices), exactly the CPU reference's order. The host sized the pair buffers
// (uCapacity) from earlier frames without reading this frame's total (offsets[uCount]); when the total does not
// fit, nothing is written, the later kernels see no pairs, and the host, which checks the total afterwards, grows
// the buffers and intersects again (GlRasterizer.confirmPairs). The total is also raised into pairsNeeded, which
// trainers that do not wait for each frame's count read once per step (GlRasterizer.pairsFitSinceLastCheck).
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/projected_gaussian.glsl"

layout(std430, binding = 0) readonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 1) readonly buffer DepthOrder { uint depthOrder[]; };
layout(std430, binding = 2) readonly buffer Offsets { uint offsets[]; };
layout(std430, binding = 3) writeonly buffer TileKeys { uint tileKeys[]; };
layout(std430, binding = 4) writeonly buffer IsectIds { uint isectIds[]; };
layout(std430, binding = 5) buffer PairsNeeded { uint pairsNeeded; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uTilesX;
layout(location = 2) uniform uint uCapacity;

void main() {
    uint k = gl_GlobalInvocationID.x;
    if (k == 0u) {
        atomicMax(pairsNeeded, offsets[uCount]);
    }
    if (k >= uCount) {
        return;
    }
    uint g = depthOrder[k];
    ProjectedGaussian p = projected[g];
    if (p.tileCount == 0u) {
        return;
    }
    if (offsets[uCount] > uCapacity) {
        return;
    }
    uint slot = offsets[k];
    for (int ty = p.tileRect.y; ty <= p.tileRect.w; ty++) {
        for (int tx = p.tileRect.x; tx <= p.tileRect.z; tx++) {
            tileKeys[slot] = uint(ty) * uTilesX + uint(tx);
            isectIds[slot] = g;
            slot++;
        }
    }
}
