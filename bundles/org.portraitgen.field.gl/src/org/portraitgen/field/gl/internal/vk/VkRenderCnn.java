package org.portraitgen.field.gl.internal.vk;

import java.util.HashMap;
import java.util.Map;

import org.portraitgen.field.internal.cnn.NeuralRenderer;

/**
 * The GPU service's choice of CNN for renders, from {@code -Dportraitgen.gpu.cnn=gl|vulkan-fp16}: {@code gl} (the
 * default) keeps the GL CNN; {@code vulkan-fp16} runs the forward on the tensor cores through {@link VkCnn}, the
 * features crossing from GL through the host (GL read-back, Vulkan upload; no GL/Vulkan memory sharing yet, which is
 * why it is not the default: the copies cost more than the tensor cores save, see issue-6-vulkan.md). When the
 * choice is Vulkan but no device with cooperative matrices opens, {@link #open} says why and the GL CNN serves.
 */
public final class VkRenderCnn implements AutoCloseable {
    public static final String PROPERTY = "portraitgen.gpu.cnn";

    private final VkCompute vk;
    private final Map<Integer, VkCnn> cnns = new HashMap<>();

    private VkRenderCnn(VkCompute vk) {
        this.vk = vk;
    }

    /** What {@code -Dportraitgen.gpu.cnn} asks for: true for Vulkan; a value that is neither is an error. */
    public static boolean vulkanRequested() {
        String value = System.getProperty(PROPERTY, "gl").trim();
        return switch (value) {
            case "gl" -> false;
            case "vulkan-fp16" -> true;
            default -> throw new IllegalArgumentException("-D" + PROPERTY + "=" + value
                    + ": expected gl or vulkan-fp16");
        };
    }

    /** Opens the Vulkan CNN; throws {@link VkException} naming why it cannot serve (no device, no tensor cores). */
    public static VkRenderCnn open() {
        VkCompute vk = VkCompute.open();
        if (!vk.capabilities().tensorCores()) {
            String device = vk.capabilities().deviceName();
            vk.close();
            throw new VkException("-D" + PROPERTY + "=vulkan-fp16: Vulkan device " + device
                    + " has no fp16 cooperative matrices; the GL CNN serves");
        }
        return new VkRenderCnn(vk);
    }

    public VkCapabilities capabilities() {
        return vk.capabilities();
    }

    /** RGB [3, H, W] of features [C, H, W] through the renderer's current weights. */
    public synchronized float[] forward(NeuralRenderer net, float[] features, int h, int w) {
        VkCnn cnn = cnns.computeIfAbsent(net.featureChannels, c -> new VkCnn(vk, c, VkCnn.Precision.FP16_COOPMAT));
        cnn.uploadParameters(net);
        return cnn.forward(features, h, w);
    }

    @Override
    public synchronized void close() {
        cnns.values().forEach(VkCnn::close);
        cnns.clear();
        vk.close();
    }
}
