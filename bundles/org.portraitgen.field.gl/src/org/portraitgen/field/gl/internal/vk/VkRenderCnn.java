package org.portraitgen.field.gl.internal.vk;

import java.util.HashMap;
import java.util.Map;

import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The GPU service's CNN for renders on the tensor cores ({@link VkCnn}, fp16 cooperative matrices), fed from the GL
 * rasterizer's feature image through a buffer shared between the two APIs ({@link GlToVkCnn}) where the drivers
 * allow, else through the host (GL read-back, Vulkan upload: ~50 ms at 512², far slower than the GL CNN).
 * {@code -Dportraitgen.gpu.cnn}: unset, it serves where cooperative matrices and sharing both work and the GL CNN
 * serves elsewhere; {@code vulkan-fp16} asks for it even through the host; {@code gl} keeps the GL CNN.
 */
public final class VkRenderCnn implements AutoCloseable {
    public static final String PROPERTY = "portraitgen.gpu.cnn";

    private final GlContext gl;
    private final VkCompute vk;
    private final VkCnn.Precision precision;
    private final Map<Integer, GlToVkCnn> shared = new HashMap<>();
    private final Map<Integer, VkCnn> throughHost = new HashMap<>();
    /** Why features cross through the host, or null while they are shared on the GPU. */
    private String hostReason;

    private VkRenderCnn(GlContext gl, VkCompute vk, VkCnn.Precision precision) {
        this.gl = gl;
        this.vk = vk;
        this.precision = precision;
    }

    /** What {@code -Dportraitgen.gpu.cnn} asks for. */
    public enum Request {
        /** Unset: Vulkan where it has tensor cores and shares memory with GL, else the GL CNN. */
        AUTO,
        GL,
        /** {@code vulkan-fp16}: Vulkan, through the host when memory cannot be shared. */
        VULKAN_FP16
    }

    /** The request in {@code -Dportraitgen.gpu.cnn}; a value that is none of them is an error naming the property. */
    public static Request requested() {
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            return Request.AUTO;
        }
        return switch (value.trim()) {
            case "gl" -> Request.GL;
            case "vulkan-fp16" -> Request.VULKAN_FP16;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + ": expected gl or vulkan-fp16");
        };
    }

    /**
     * For {@link Request#AUTO}: opens the Vulkan CNN only if it has tensor cores and its input buffer imports into
     * this GL context; otherwise throws {@link GlException} saying which is missing (the GL CNN serves).
     */
    public static VkRenderCnn openIfShared(GlContext gl, int featureChannels) {
        VkRenderCnn cnn = open(gl);
        try {
            cnn.shared.put(featureChannels, GlToVkCnn.open(gl, cnn.vk, featureChannels, cnn.precision,
                    VkCnn.Tiling.DEFAULT));
            return cnn;
        } catch (GlException e) {
            cnn.close();
            throw e;
        }
    }

    /**
     * Opens the Vulkan CNN beside the GL context; throws {@link VkException} naming why it cannot serve (no device,
     * no tensor cores).
     */
    public static VkRenderCnn open(GlContext gl) {
        return open(gl, VkCnn.Precision.FP16_COOPMAT);
    }

    /** As {@link #open(GlContext)} with the given precision (FP32: the fallback kernels, for tests on lavapipe). */
    public static VkRenderCnn open(GlContext gl, VkCnn.Precision precision) {
        VkCompute vk = VkCompute.open();
        if (precision == VkCnn.Precision.FP16_COOPMAT && !vk.capabilities().tensorCores()) {
            String device = vk.capabilities().deviceName();
            vk.close();
            throw new VkException("-D" + PROPERTY + "=vulkan-fp16: Vulkan device " + device
                    + " has no fp16 cooperative matrices; the GL CNN serves");
        }
        return new VkRenderCnn(gl, vk, precision);
    }

    public VkCapabilities capabilities() {
        return vk.capabilities();
    }

    /** How the features travel: "shared GPU buffer" or "through the host (why)". */
    public synchronized String featurePath() {
        return hostReason == null ? "shared GPU buffer (GL_EXT_memory_object_fd)" : "through the host (" + hostReason
                + ")";
    }

    /**
     * RGB [3, H, W] of the first C x H x W floats of the GL buffer {@code features} through the renderer's current
     * weights. Called off the GL thread; the caller keeps the buffer unchanged until this returns.
     */
    public synchronized float[] forward(NeuralRenderer net, GlBuffer features, int h, int w) {
        int c = net.featureChannels;
        if (hostReason == null) {
            GlToVkCnn s = shared.get(c);
            if (s == null) {
                try {
                    s = GlToVkCnn.open(gl, vk, c, precision, VkCnn.Tiling.DEFAULT);
                    shared.put(c, s);
                } catch (GlException e) {
                    hostReason = e.getMessage();
                }
            }
            if (s != null) {
                return s.forward(net, features, h, w);
            }
        }
        float[] input = gl.call(() -> features.readFloats(c * h * w));
        VkCnn cnn = throughHost.computeIfAbsent(c, k -> new VkCnn(vk, k, precision));
        cnn.uploadParameters(net);
        return cnn.forward(input, h, w);
    }

    @Override
    public synchronized void close() {
        shared.values().forEach(GlToVkCnn::close);
        shared.clear();
        throughHost.values().forEach(VkCnn::close);
        throughHost.clear();
        vk.close();
    }
}
