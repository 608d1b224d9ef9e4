// Copies uCount uints from uFrom in Src to uTo in Dst: a buffer copy as a compute kernel. glCopyBufferSubData, like
// glClearBufferSubData (fill.comp), runs far below memory bandwidth on the H100's driver.
layout(local_size_x = WORKGROUP_SIZE) in;

layout(std430, binding = 0) readonly buffer Src { uint src[]; };
layout(std430, binding = 1) writeonly buffer Dst { uint dst[]; };
layout(location = 0) uniform uint uFrom;
layout(location = 1) uniform uint uTo;
layout(location = 2) uniform uint uCount;

void main() {
    uint stride = gl_NumWorkGroups.x * uint(WORKGROUP_SIZE);
    for (uint i = gl_GlobalInvocationID.x; i < uCount; i += stride) {
        dst[uTo + i] = src[uFrom + i];
    }
}
