// intersectTiles, step 3: each tile's [start, end) in the tile-sorted intersection list (gsplat's
// isect_offset_encode). Tiles without Gaussians keep the (0, 0) the buffer was cleared to. The number of pairs is
// read on the GPU (the scanned offsets' total); a total over the capacity uCount the host dispatched for means
// no pairs were emitted (emit_intersections.comp), so none are ranged.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) readonly buffer TileKeys { uint tileKeys[]; };
layout(std430, binding = 1) buffer TileRanges { uvec2 tileRanges[]; };
layout(std430, binding = 2) readonly buffer Offsets { uint offsets[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uTotalIndex;

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint total = offsets[uTotalIndex];
    uint count = total <= uCount ? total : 0u;
    if (i >= count) {
        return;
    }
    uint tile = tileKeys[i];
    if (i == 0u || tileKeys[i - 1u] != tile) {
        tileRanges[tile].x = i;
    }
    if (i == count - 1u || tileKeys[i + 1u] != tile) {
        tileRanges[tile].y = i + 1u;
    }
}
