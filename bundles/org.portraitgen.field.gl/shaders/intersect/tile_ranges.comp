// intersectTiles, step 3: each tile's [start, end) in the tile-sorted intersection list (gsplat's
// isect_offset_encode). Tiles without Gaussians keep the (0, 0) the buffer was cleared to.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) readonly buffer TileKeys { uint tileKeys[]; };
layout(std430, binding = 1) buffer TileRanges { uvec2 tileRanges[]; };
layout(location = 0) uniform uint uCount;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    uint tile = tileKeys[i];
    if (i == 0u || tileKeys[i - 1u] != tile) {
        tileRanges[tile].x = i;
    }
    if (i == uCount - 1u || tileKeys[i + 1u] != tile) {
        tileRanges[tile].y = i + 1u;
    }
}
