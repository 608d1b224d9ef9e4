// dL/d(pre-sigmoid) = dL/drgb * rgb * (1 - rgb), elementwise.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Rgb { float rgb[]; };
layout(std430, binding = 1) readonly buffer VRgb { float vRgb[]; };
layout(std430, binding = 2) writeonly buffer VPre { float vPre[]; };
layout(location = 0) uniform uint uCount;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i < uCount) {
        float s = rgb[i];
        vPre[i] = vRgb[i] * s * (1.0 - s);
    }
}
