// D-SSIM, step 1: the five maps SSIM blurs, x, y, x², y², xy, per pixel of the PLANES channel planes:
// maps[k * uCount + i], k = 0..4.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Pred { float pred[]; };
layout(std430, binding = 1) readonly buffer Target { float target[]; };
layout(std430, binding = 2) writeonly buffer Maps { float maps[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uTargetOffset;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    float x = pred[i];
    float y = target[uTargetOffset + i];
    maps[i] = x;
    maps[uCount + i] = y;
    maps[2u * uCount + i] = x * x;
    maps[3u * uCount + i] = y * y;
    maps[4u * uCount + i] = x * y;
}
