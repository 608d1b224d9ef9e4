package org.portraitgen.field.gl.internal.vk;

import org.portraitgen.field.gl.GlException;

/**
 * A failure of the Vulkan path, naming the call and its VkResult; a {@link GlException} so the GPU service's callers
 * treat it like any other GPU failure (fall back, never crash).
 */
public final class VkException extends GlException {
    private static final long serialVersionUID = 1L;

    public VkException(String message) {
        super(message);
    }

    /** Throws unless {@code result} is VK_SUCCESS. */
    static void check(int result, String what) {
        if (result != 0) {
            throw new VkException("Vulkan: " + what + " failed with " + resultName(result));
        }
    }

    static String resultName(int r) {
        return switch (r) {
            case 1 -> "VK_NOT_READY";
            case 2 -> "VK_TIMEOUT";
            case 5 -> "VK_INCOMPLETE";
            case -1 -> "VK_ERROR_OUT_OF_HOST_MEMORY";
            case -2 -> "VK_ERROR_OUT_OF_DEVICE_MEMORY";
            case -3 -> "VK_ERROR_INITIALIZATION_FAILED";
            case -4 -> "VK_ERROR_DEVICE_LOST";
            case -5 -> "VK_ERROR_MEMORY_MAP_FAILED";
            case -6 -> "VK_ERROR_LAYER_NOT_PRESENT";
            case -7 -> "VK_ERROR_EXTENSION_NOT_PRESENT";
            case -8 -> "VK_ERROR_FEATURE_NOT_PRESENT";
            case -9 -> "VK_ERROR_INCOMPATIBLE_DRIVER";
            case -10 -> "VK_ERROR_TOO_MANY_OBJECTS";
            case -13 -> "VK_ERROR_UNKNOWN";
            case -1000069000 -> "VK_ERROR_OUT_OF_POOL_MEMORY";
            default -> "VkResult " + r;
        };
    }
}
