// Adds the bands' partial sums of conv2d_weight_grad.comp into the flat gradient buffer: grads[offset + i] +=
// sum over bands of partial[band][i] for the layer's weights followed by its biases (the order of
// NeuralRenderer.parameters()). Bands are summed in a fixed order, so results do not depend on scheduling.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Partial { float partial[]; };
layout(std430, binding = 1) buffer Grads { float grads[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform uint uBands;
layout(location = 2) uniform uint uOffset;

void main() {
    uint i = gl_GlobalInvocationID.x;
    if (i >= uCount) {
        return;
    }
    float s = 0.0;
    for (uint b = 0u; b < uBands; b++) {
        s += partial[b * uCount + i];
    }
    grads[uOffset + i] += s;
}
