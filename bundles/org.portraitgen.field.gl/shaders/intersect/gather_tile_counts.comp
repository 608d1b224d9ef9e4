// intersectTiles, step 1: the tile counts in front-to-back order (depthOrder is the depth-sorted Gaussian index),
// plus a trailing 0, so that an exclusive scan of uCount + 1 values gives every Gaussian its first intersection
// slot and the total at the end.
layout(local_size_x = WORKGROUP_SIZE) in;

#include "common/projected_gaussian.glsl"

layout(std430, binding = 0) readonly buffer Projected { ProjectedGaussian projected[]; };
layout(std430, binding = 1) readonly buffer DepthOrder { uint depthOrder[]; };
layout(std430, binding = 2) writeonly buffer Offsets { uint offsets[]; };
layout(location = 0) uniform uint uCount;

void main() {
    uint k = gl_GlobalInvocationID.x;
    if (k < uCount) {
        offsets[k] = projected[depthOrder[k]].tileCount;
    } else if (k == uCount) {
        offsets[k] = 0u;
    }
}
