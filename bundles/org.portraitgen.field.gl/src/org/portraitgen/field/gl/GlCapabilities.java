package org.portraitgen.field.gl;

import java.util.List;

/**
 * What the opened context offers: identification, the extensions this bundle cares about, and the compute limits the
 * kernels are sized against.
 */
public record GlCapabilities(String eglDevice, String vendor, String renderer, String version, String glslVersion,
        boolean software, List<String> extensionsOfInterest, int maxSharedMemoryBytes, int maxInvocations,
        int[] maxWorkGroupSize, int[] maxWorkGroupCount, long maxStorageBlockBytes) {

    public static final List<String> INTERESTING = List.of("GL_ARB_compute_shader", "GL_NV_shader_atomic_float",
            "GL_KHR_shader_subgroup", "GL_ARB_shader_ballot", "GL_ARB_gpu_shader_int64", "GL_NV_gpu_shader5",
            "GL_ARB_gl_spirv", "GL_EXT_memory_object", "GL_NVX_gpu_memory_info", "GL_ATI_meminfo");

    public boolean has(String extension) {
        return extensionsOfInterest.contains(extension);
    }

    /** A multi-line human report, as {@code portraitgen version --gpu} prints it. */
    public String report() {
        return String.join("\n",
                "EGL device:        " + eglDevice,
                "GL_VENDOR:         " + vendor,
                "GL_RENDERER:       " + renderer + (software ? " (software)" : ""),
                "GL_VERSION:        " + version,
                "GLSL:              " + glslVersion,
                "extensions:        " + String.join(" ", extensionsOfInterest),
                "shared memory:     " + maxSharedMemoryBytes / 1024 + " KiB per work group",
                "invocations:       " + maxInvocations + " per work group",
                "work group size:   " + maxWorkGroupSize[0] + " x " + maxWorkGroupSize[1] + " x "
                        + maxWorkGroupSize[2],
                "work group count:  " + maxWorkGroupCount[0] + " x " + maxWorkGroupCount[1] + " x "
                        + maxWorkGroupCount[2],
                "storage block:     " + maxStorageBlockBytes / (1024 * 1024) + " MiB max");
    }
}
