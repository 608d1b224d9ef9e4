package org.portraitgen.field.gl.internal.vk;

/**
 * What the Vulkan device offers the CNN: identification and whether it has cooperative matrices of the shape the
 * fp16 kernels use (16x16x16, fp16 A and B, fp32 accumulator, subgroup scope).
 */
public record VkCapabilities(String deviceName, String deviceType, String driver, String apiVersion,
        boolean cooperativeMatrixExtension, boolean fp16MatrixShape, boolean externalMemoryFd, int subgroupSize,
        int maxSharedMemoryBytes) {

    /** The fp16 cooperative-matrix kernels can run. */
    public boolean tensorCores() {
        return cooperativeMatrixExtension && fp16MatrixShape && subgroupSize == 32;
    }

    /** Lines for {@code portraitgen version --gpu}. */
    public String report() {
        return String.join("\n",
                "Vulkan device:     " + deviceName + " (" + deviceType + ")",
                "Vulkan driver:     " + driver,
                "Vulkan API:        " + apiVersion,
                "subgroup size:     " + subgroupSize + ", shared memory " + maxSharedMemoryBytes / 1024 + " KiB",
                "VK_KHR_cooperative_matrix: " + (cooperativeMatrixExtension ? "yes" : "no")
                        + (cooperativeMatrixExtension
                                ? ", fp16 16x16x16 fp32-accumulate: " + (fp16MatrixShape ? "yes" : "no")
                                : ""),
                "VK_KHR_external_memory_fd: " + (externalMemoryFd ? "yes" : "no"),
                "Vulkan CNN:        " + (tensorCores() ? "vulkan-fp16 (cooperative matrices)" : "fp32 fallback"));
    }
}
