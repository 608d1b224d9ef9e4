// D-SSIM, step 3: grad += blur(gMx) + 2 x blur(gXx) + y blur(gXy) (the blur is self-adjoint).
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Blurred { float bl[]; }; // [3][count]
layout(std430, binding = 1) readonly buffer Pred { float pred[]; };
layout(std430, binding = 2) readonly buffer Target { float target[]; };
layout(std430, binding = 3) buffer Grad { float grad[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uTargetOffset;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < uCount) {
        grad[i] += bl[i] + 2.0 * pred[i] * bl[uCount + i] + target[uTargetOffset + i] * bl[2u * uCount + i];
    }
}
