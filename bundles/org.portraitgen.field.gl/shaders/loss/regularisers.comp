// GaussianAvatars' regularisers on the local parameters, as the CPU's Losses.offsetRegulariser and
// Losses.scaleRegulariser: wo · mean over Gaussians of max(|offset| - to, 0)² and ws · mean over scale entries of
// max(exp(logScale) - ts, 0). One thread per Gaussian adds their gradients into the flat gradient buffer (offsets
// at 0, log-scales at 3N) and its share of the loss into one partial sum per work group.
layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer Params { float params[]; };
layout(std430, binding = 1) buffer Grads { float grads[]; };
layout(std430, binding = 2) writeonly buffer Partial { float partial[]; };
layout(location = 0) uniform uint uCount;
layout(location = 1) uniform float uOffsetWeight;
layout(location = 2) uniform float uOffsetThreshold;
layout(location = 3) uniform float uScaleWeight;
layout(location = 4) uniform float uScaleThreshold;

shared float sSum[256];

void main() {
    uint i = gl_GlobalInvocationID.x;
    uint t = gl_LocalInvocationIndex;
    float loss = 0.0;
    if (i < uCount) {
        float n = float(uCount);
        vec3 offset = vec3(params[3u * i], params[3u * i + 1u], params[3u * i + 2u]);
        float len = length(offset);
        float excess = len - uOffsetThreshold;
        if (excess > 0.0) {
            loss += uOffsetWeight * excess * excess / n;
            float g = uOffsetWeight * 2.0 * excess / (n * len);
            for (uint k = 0u; k < 3u; k++) {
                grads[3u * i + k] += g * offset[k];
            }
        }
        uint s = 3u * uCount + 3u * i;
        for (uint k = 0u; k < 3u; k++) {
            float e = exp(params[s + k]);
            if (e > uScaleThreshold) {
                loss += uScaleWeight * (e - uScaleThreshold) / (3.0 * n);
                grads[s + k] += uScaleWeight * e / (3.0 * n);
            }
        }
    }
    sSum[t] = loss;
    barrier();
    for (uint k = 128u; k > 0u; k >>= 1) {
        if (t < k) {
            sSum[t] += sSum[t + k];
        }
        barrier();
    }
    if (t == 0u) {
        partial[gl_WorkGroupID.x] = sSum[0];
    }
}
