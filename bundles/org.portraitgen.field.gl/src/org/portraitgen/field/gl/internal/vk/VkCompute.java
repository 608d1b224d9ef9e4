package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.system.MemoryUtil.NULL;
import static org.lwjgl.vulkan.VK10.*;
import static org.lwjgl.vulkan.VK11.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2;
import static org.lwjgl.vulkan.VK11.VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2;
import static org.lwjgl.vulkan.VK11.vkGetPhysicalDeviceFeatures2;
import static org.lwjgl.vulkan.VK11.vkGetPhysicalDeviceProperties2;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.Configuration;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.util.shaderc.Shaderc;
import org.lwjgl.vulkan.KHRCooperativeMatrix;
import org.lwjgl.vulkan.KHRExternalSemaphoreFd;
import org.lwjgl.vulkan.VK;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkApplicationInfo;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferAllocateInfo;
import org.lwjgl.vulkan.VkCommandPoolCreateInfo;
import org.lwjgl.vulkan.VkComputePipelineCreateInfo;
import org.lwjgl.vulkan.VkCooperativeMatrixPropertiesKHR;
import org.lwjgl.vulkan.VkDescriptorSetLayoutBinding;
import org.lwjgl.vulkan.VkDescriptorSetLayoutCreateInfo;
import org.lwjgl.vulkan.VkDevice;
import org.lwjgl.vulkan.VkDeviceCreateInfo;
import org.lwjgl.vulkan.VkDeviceQueueCreateInfo;
import org.lwjgl.vulkan.VkExportSemaphoreCreateInfo;
import org.lwjgl.vulkan.VkExtensionProperties;
import org.lwjgl.vulkan.VkFenceCreateInfo;
import org.lwjgl.vulkan.VkInstance;
import org.lwjgl.vulkan.VkInstanceCreateInfo;
import org.lwjgl.vulkan.VkPhysicalDevice;
import org.lwjgl.vulkan.VkPhysicalDeviceCooperativeMatrixFeaturesKHR;
import org.lwjgl.vulkan.VkPhysicalDeviceFeatures2;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties;
import org.lwjgl.vulkan.VkPhysicalDeviceProperties2;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan11Features;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan11Properties;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan12Features;
import org.lwjgl.vulkan.VkPhysicalDeviceVulkan12Properties;
import org.lwjgl.vulkan.VkPipelineLayoutCreateInfo;
import org.lwjgl.vulkan.VkPushConstantRange;
import org.lwjgl.vulkan.VkQueue;
import org.lwjgl.vulkan.VkQueueFamilyProperties;
import org.lwjgl.vulkan.VkSemaphoreCreateInfo;
import org.lwjgl.vulkan.VkSemaphoreGetFdInfoKHR;
import org.lwjgl.vulkan.VkSubmitInfo;
import org.lwjgl.vulkan.VkShaderModuleCreateInfo;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/**
 * A headless Vulkan compute context: an instance without surfaces, the first device that is not a CPU when there is
 * one (else lavapipe), one compute queue and a command pool; compute pipelines built from GLSL resources under
 * {@code shaders/} with shaderc, once per source and defines. Every VkResult is checked ({@link VkException} names the
 * call); nothing here aborts the JVM. Calls are synchronised: Vulkan wants the pool and the queue used by one thread
 * at a time.
 */
public final class VkCompute implements AutoCloseable {
    /** Push constants every pipeline accepts (ints): sized for the largest kernel's needs. */
    static final int PUSH_CONSTANT_BYTES = 64;

    private final VkInstance instance;
    private final VkPhysicalDevice physical;
    private final VkDevice device;
    private final VkQueue queue;
    /** The fence of {@link #submitAndWait}, made on first use. */
    private long fence = VK_NULL_HANDLE;
    private final int queueFamily;
    private final long commandPool;
    private final VkCapabilities capabilities;
    private final VkPhysicalDeviceMemoryProperties memoryProperties;
    private final float timestampPeriodNs;
    private final long minStorageOffsetAlignment;
    private final Map<String, Pipeline> pipelines = new HashMap<>();
    /** The device's UUID: the same device in OpenGL (GL_DEVICE_UUID_EXT) can share memory with this one. */
    private byte[] deviceUuid;
    /** VK_KHR_external_semaphore_fd is enabled: a semaphore can be exported to OpenGL (GL_EXT_semaphore_fd). */
    private boolean externalSemaphoreFd;
    private volatile boolean closed;

    /** One compute pipeline with its layouts: {@code buffers} storage buffers at bindings 0.., push constants. */
    public record Pipeline(String name, long module, long setLayout, long layout, long pipeline, int buffers) {
    }

    private VkCompute(VkInstance instance, VkPhysicalDevice physical, VkDevice device, int queueFamily,
            VkCapabilities capabilities, float timestampPeriodNs, long minStorageOffsetAlignment) {
        this.instance = instance;
        this.physical = physical;
        this.device = device;
        this.queueFamily = queueFamily;
        this.capabilities = capabilities;
        this.timestampPeriodNs = timestampPeriodNs;
        this.minStorageOffsetAlignment = minStorageOffsetAlignment;
        this.memoryProperties = VkPhysicalDeviceMemoryProperties.calloc();
        vkGetPhysicalDeviceMemoryProperties(physical, memoryProperties);
        try (MemoryStack stack = stackPush()) {
            PointerBuffer pq = stack.mallocPointer(1);
            vkGetDeviceQueue(device, queueFamily, 0, pq);
            queue = new VkQueue(pq.get(0), device);
            VkCommandPoolCreateInfo pool = VkCommandPoolCreateInfo.calloc(stack).sType$Default()
                    .flags(VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT).queueFamilyIndex(queueFamily);
            LongBuffer lp = stack.mallocLong(1);
            VkException.check(vkCreateCommandPool(device, pool, null, lp), "vkCreateCommandPool");
            commandPool = lp.get(0);
        }
    }

    /**
     * Opens the context.
     *
     * @throws VkException when there is no Vulkan loader, no device, or a call fails; the message says which
     */
    public static VkCompute open() {
        try {
            // the system loader: lwjgl-vulkan ships no natives on Linux
            if (Configuration.VULKAN_LIBRARY_NAME.get() == null) {
                Configuration.VULKAN_LIBRARY_NAME.set("libvulkan.so.1");
            }
            // VK's static initialiser loads the library unless explicit init is configured; load it here if it did not
            try {
                VK.getFunctionProvider();
            } catch (IllegalStateException notYet) {
                VK.create();
            }
        } catch (LinkageError | RuntimeException e) {
            throw new VkException("Vulkan loader libvulkan.so.1 could not be loaded: " + e.getMessage());
        }
        VkInstance instance = null;
        VkDevice device = null;
        try (MemoryStack stack = stackPush()) {
            VkApplicationInfo app = VkApplicationInfo.calloc(stack).sType$Default()
                    .pApplicationName(stack.UTF8("PortraitGen")).pEngineName(stack.UTF8("portraitgen.field.gl"))
                    .apiVersion(VK.getInstanceVersionSupported() >= VK_MAKE_API_VERSION(0, 1, 3, 0)
                            ? VK_MAKE_API_VERSION(0, 1, 3, 0) : VK_MAKE_API_VERSION(0, 1, 2, 0));
            VkInstanceCreateInfo ici = VkInstanceCreateInfo.calloc(stack).sType$Default().pApplicationInfo(app);
            PointerBuffer pp = stack.mallocPointer(1);
            VkException.check(vkCreateInstance(ici, null, pp), "vkCreateInstance");
            instance = new VkInstance(pp.get(0), ici);

            VkPhysicalDevice physical = pickDevice(instance, stack);
            VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.calloc(stack);
            vkGetPhysicalDeviceProperties(physical, props);
            if (VK_API_VERSION_MINOR(props.apiVersion()) < 2 && VK_API_VERSION_MAJOR(props.apiVersion()) == 1) {
                throw new VkException("Vulkan device " + props.deviceNameString() + " offers API "
                        + version(props.apiVersion()) + "; 1.2 or later is needed");
            }
            int family = computeQueueFamily(physical, stack);
            Set<String> extensions = deviceExtensions(physical, stack);
            boolean coopExt = extensions.contains(KHRCooperativeMatrix.VK_KHR_COOPERATIVE_MATRIX_EXTENSION_NAME);
            boolean fdExt = extensions.contains("VK_KHR_external_memory_fd");
            boolean semaphoreFdExt = extensions.contains("VK_KHR_external_semaphore_fd");

            // features: query the chain, then enable what the kernels use
            VkPhysicalDeviceCooperativeMatrixFeaturesKHR coopFeatures = VkPhysicalDeviceCooperativeMatrixFeaturesKHR
                    .calloc(stack).sType$Default();
            VkPhysicalDeviceVulkan12Features f12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default();
            VkPhysicalDeviceVulkan11Features f11 = VkPhysicalDeviceVulkan11Features.calloc(stack).sType$Default();
            f11.pNext(f12.address());
            if (coopExt) {
                f12.pNext(coopFeatures.address());
            }
            VkPhysicalDeviceFeatures2 f2 = VkPhysicalDeviceFeatures2.calloc(stack)
                    .sType(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2).pNext(f11.address());
            vkGetPhysicalDeviceFeatures2(physical, f2);
            boolean fp16 = f12.shaderFloat16() && f11.storageBuffer16BitAccess();
            boolean memoryModel = f12.vulkanMemoryModel();
            boolean coopFeature = coopExt && coopFeatures.cooperativeMatrix();
            boolean shape = coopFeature && fp16 && memoryModel && hasFp16Shape(physical, stack);

            VkPhysicalDeviceVulkan12Properties p12 = VkPhysicalDeviceVulkan12Properties.calloc(stack).sType$Default();
            VkPhysicalDeviceVulkan11Properties p11 = VkPhysicalDeviceVulkan11Properties.calloc(stack).sType$Default()
                    .pNext(p12.address());
            VkPhysicalDeviceProperties2 p2 = VkPhysicalDeviceProperties2.calloc(stack)
                    .sType(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2).pNext(p11.address());
            vkGetPhysicalDeviceProperties2(physical, p2);

            // enable only what is used; robustBufferAccess stays off (the kernels index within bounds)
            VkPhysicalDeviceCooperativeMatrixFeaturesKHR coopOn = VkPhysicalDeviceCooperativeMatrixFeaturesKHR
                    .calloc(stack).sType$Default().cooperativeMatrix(shape);
            VkPhysicalDeviceVulkan12Features on12 = VkPhysicalDeviceVulkan12Features.calloc(stack).sType$Default()
                    .shaderFloat16(fp16).vulkanMemoryModel(memoryModel)
                    .vulkanMemoryModelDeviceScope(memoryModel && f12.vulkanMemoryModelDeviceScope());
            VkPhysicalDeviceVulkan11Features on11 = VkPhysicalDeviceVulkan11Features.calloc(stack).sType$Default()
                    .storageBuffer16BitAccess(fp16).pNext(on12.address());
            if (shape) {
                on12.pNext(coopOn.address());
            }
            VkPhysicalDeviceFeatures2 on2 = VkPhysicalDeviceFeatures2.calloc(stack)
                    .sType(VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2).pNext(on11.address());
            on2.features().shaderInt16(fp16 && f2.features().shaderInt16());

            VkDeviceQueueCreateInfo.Buffer qci = VkDeviceQueueCreateInfo.calloc(1, stack);
            qci.get(0).sType$Default().queueFamilyIndex(family).pQueuePriorities(stack.floats(1f));
            PointerBuffer exts = stack.mallocPointer(3);
            if (shape) {
                exts.put(stack.UTF8(KHRCooperativeMatrix.VK_KHR_COOPERATIVE_MATRIX_EXTENSION_NAME));
            }
            if (fdExt) {
                exts.put(stack.UTF8("VK_KHR_external_memory_fd"));
            }
            if (semaphoreFdExt) {
                exts.put(stack.UTF8("VK_KHR_external_semaphore_fd"));
            }
            exts.flip();
            VkDeviceCreateInfo dci = VkDeviceCreateInfo.calloc(stack).sType$Default().pNext(on2.address())
                    .pQueueCreateInfos(qci).ppEnabledExtensionNames(exts);
            VkException.check(vkCreateDevice(physical, dci, null, pp), "vkCreateDevice on "
                    + props.deviceNameString());
            device = new VkDevice(pp.get(0), physical, dci);

            VkCapabilities caps = new VkCapabilities(props.deviceNameString(), deviceType(props.deviceType()),
                    p12.driverNameString() + " " + p12.driverInfoString(), version(props.apiVersion()), coopExt,
                    shape, fdExt, p11.subgroupSize(), props.limits().maxComputeSharedMemorySize());
            byte[] uuid = new byte[16];
            p11.deviceUUID().get(uuid);
            VkCompute vk = new VkCompute(instance, physical, device, family, caps, props.limits().timestampPeriod(),
                    props.limits().minStorageBufferOffsetAlignment());
            vk.deviceUuid = uuid;
            vk.externalSemaphoreFd = semaphoreFdExt;
            return vk;
        } catch (RuntimeException | Error e) {
            // an instance left alive crashes the NVIDIA driver at JVM exit: always destroy what was created
            if (device != null) {
                vkDestroyDevice(device, null);
            }
            if (instance != null) {
                vkDestroyInstance(instance, null);
            }
            throw e instanceof VkException v ? v : new VkException("Vulkan context: " + e);
        }
    }

    private static VkPhysicalDevice pickDevice(VkInstance instance, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        VkException.check(vkEnumeratePhysicalDevices(instance, count, null), "vkEnumeratePhysicalDevices");
        if (count.get(0) == 0) {
            throw new VkException("Vulkan: no physical device (no ICD found; VK_DRIVER_FILES / VK_ICD_FILENAMES?)");
        }
        PointerBuffer devices = stack.mallocPointer(count.get(0));
        VkException.check(vkEnumeratePhysicalDevices(instance, count, devices), "vkEnumeratePhysicalDevices");
        VkPhysicalDevice chosen = null;
        VkPhysicalDeviceProperties props = VkPhysicalDeviceProperties.calloc(stack);
        for (int i = 0; i < count.get(0); i++) {
            VkPhysicalDevice d = new VkPhysicalDevice(devices.get(i), instance);
            vkGetPhysicalDeviceProperties(d, props);
            if (props.deviceType() != VK_PHYSICAL_DEVICE_TYPE_CPU) {
                return d;
            }
            if (chosen == null) {
                chosen = d;
            }
        }
        return chosen;
    }

    private static int computeQueueFamily(VkPhysicalDevice physical, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        vkGetPhysicalDeviceQueueFamilyProperties(physical, count, null);
        VkQueueFamilyProperties.Buffer families = VkQueueFamilyProperties.calloc(count.get(0), stack);
        vkGetPhysicalDeviceQueueFamilyProperties(physical, count, families);
        for (int i = 0; i < families.capacity(); i++) {
            if ((families.get(i).queueFlags() & VK_QUEUE_COMPUTE_BIT) != 0 && families.get(i)
                    .timestampValidBits() > 0) {
                return i;
            }
        }
        throw new VkException("Vulkan: the device has no compute queue with timestamps");
    }

    private static Set<String> deviceExtensions(VkPhysicalDevice physical, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        VkException.check(vkEnumerateDeviceExtensionProperties(physical, (ByteBuffer) null, count, null),
                "vkEnumerateDeviceExtensionProperties");
        // on the heap: a driver lists ~250 extensions of 260 bytes, more than LWJGL's 64 KiB stack
        VkExtensionProperties.Buffer props = VkExtensionProperties.calloc(count.get(0));
        try {
            VkException.check(vkEnumerateDeviceExtensionProperties(physical, (ByteBuffer) null, count, props),
                    "vkEnumerateDeviceExtensionProperties");
            Set<String> names = new TreeSet<>();
            props.forEach(p -> names.add(p.extensionNameString()));
            return names;
        } finally {
            props.free();
        }
    }

    /** Whether the device lists fp16 x fp16 + fp32 → fp32, 16x16x16, subgroup scope. */
    private static boolean hasFp16Shape(VkPhysicalDevice physical, MemoryStack stack) {
        IntBuffer count = stack.mallocInt(1);
        VkException.check(KHRCooperativeMatrix.vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR(physical, count,
                null), "vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR");
        VkCooperativeMatrixPropertiesKHR.Buffer shapes = VkCooperativeMatrixPropertiesKHR.calloc(count.get(0));
        try {
            shapes.forEach(VkCooperativeMatrixPropertiesKHR::sType$Default);
            VkException.check(KHRCooperativeMatrix.vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR(physical, count,
                    shapes), "vkGetPhysicalDeviceCooperativeMatrixPropertiesKHR");
            return hasFp16Shape(shapes);
        } finally {
            shapes.free();
        }
    }

    private static boolean hasFp16Shape(VkCooperativeMatrixPropertiesKHR.Buffer shapes) {
        for (VkCooperativeMatrixPropertiesKHR s : shapes) {
            if (s.MSize() == 16 && s.NSize() == 16 && s.KSize() == 16
                    && s.AType() == KHRCooperativeMatrix.VK_COMPONENT_TYPE_FLOAT16_KHR
                    && s.BType() == KHRCooperativeMatrix.VK_COMPONENT_TYPE_FLOAT16_KHR
                    && s.CType() == KHRCooperativeMatrix.VK_COMPONENT_TYPE_FLOAT32_KHR
                    && s.ResultType() == KHRCooperativeMatrix.VK_COMPONENT_TYPE_FLOAT32_KHR
                    && s.scope() == KHRCooperativeMatrix.VK_SCOPE_SUBGROUP_KHR) {
                return true;
            }
        }
        return false;
    }

    private static String version(int v) {
        return VK_API_VERSION_MAJOR(v) + "." + VK_API_VERSION_MINOR(v) + "." + VK_API_VERSION_PATCH(v);
    }

    private static String deviceType(int t) {
        return switch (t) {
            case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU -> "discrete GPU";
            case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU -> "integrated GPU";
            case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU -> "virtual GPU";
            case VK_PHYSICAL_DEVICE_TYPE_CPU -> "CPU";
            default -> "other";
        };
    }

    public byte[] deviceUuid() {
        return deviceUuid.clone();
    }

    public VkCapabilities capabilities() {
        return capabilities;
    }

    VkDevice device() {
        return device;
    }

    VkQueue queue() {
        return queue;
    }

    /** Bytes of the largest device-local memory heap (the GPU's memory; host memory for a CPU device). */
    public long deviceLocalBytes() {
        long most = 0;
        for (int i = 0; i < memoryProperties.memoryHeapCount(); i++) {
            if ((memoryProperties.memoryHeaps(i).flags() & VK_MEMORY_HEAP_DEVICE_LOCAL_BIT) != 0) {
                most = Math.max(most, memoryProperties.memoryHeaps(i).size());
            }
        }
        return most;
    }

    VkPhysicalDeviceMemoryProperties memoryProperties() {
        return memoryProperties;
    }

    long storageOffsetAlignment() {
        return Math.max(minStorageOffsetAlignment, 16);
    }

    float timestampPeriodNs() {
        return timestampPeriodNs;
    }

    /** A compute pipeline for {@code shaders/<resource>} with the given defines, built once and cached. */
    public synchronized Pipeline pipeline(String resource, Map<String, String> defines, int buffers) {
        ensureOpen();
        String key = resource + defines;
        Pipeline cached = pipelines.get(key);
        if (cached != null) {
            return cached;
        }
        ByteBuffer spirv = compile(resource, defines);
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkShaderModuleCreateInfo smci = VkShaderModuleCreateInfo.calloc(stack).sType$Default().pCode(spirv);
            VkException.check(vkCreateShaderModule(device, smci, null, lp), "vkCreateShaderModule for " + resource);
            long module = lp.get(0);
            MemoryUtil.memFree(spirv);
            VkDescriptorSetLayoutBinding.Buffer bindings = VkDescriptorSetLayoutBinding.calloc(buffers, stack);
            for (int i = 0; i < buffers; i++) {
                bindings.get(i).binding(i).descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(1)
                        .stageFlags(VK_SHADER_STAGE_COMPUTE_BIT);
            }
            VkException.check(vkCreateDescriptorSetLayout(device, VkDescriptorSetLayoutCreateInfo.calloc(stack)
                    .sType$Default().pBindings(bindings), null, lp), "vkCreateDescriptorSetLayout for " + resource);
            long setLayout = lp.get(0);
            VkPushConstantRange.Buffer push = VkPushConstantRange.calloc(1, stack);
            push.get(0).stageFlags(VK_SHADER_STAGE_COMPUTE_BIT).offset(0).size(PUSH_CONSTANT_BYTES);
            VkException.check(vkCreatePipelineLayout(device, VkPipelineLayoutCreateInfo.calloc(stack)
                    .sType$Default().pSetLayouts(stack.longs(setLayout)).pPushConstantRanges(push), null, lp),
                    "vkCreatePipelineLayout for " + resource);
            long layout = lp.get(0);
            VkComputePipelineCreateInfo.Buffer cpci = VkComputePipelineCreateInfo.calloc(1, stack);
            cpci.get(0).sType$Default().layout(layout).stage(s -> s.sType$Default()
                    .stage(VK_SHADER_STAGE_COMPUTE_BIT).module(module).pName(stack.UTF8("main")));
            VkException.check(vkCreateComputePipelines(device, VK_NULL_HANDLE, cpci, null, lp),
                    "vkCreateComputePipelines for " + resource + " " + defines);
            Pipeline p = new Pipeline(resource, module, setLayout, layout, lp.get(0), buffers);
            pipelines.put(key, p);
            return p;
        }
    }

    public synchronized int cachedPipelines() {
        return pipelines.size();
    }

    /** GLSL → SPIR-V with shaderc (Vulkan 1.2 target, optimised); errors name the file and carry the log. */
    static ByteBuffer compile(String resource, Map<String, String> defines) {
        String source = ShaderLibrary.load("shaders/" + resource);
        long compiler = Shaderc.shaderc_compiler_initialize();
        if (compiler == NULL) {
            throw new VkException("shaderc: compiler could not be initialised");
        }
        long options = Shaderc.shaderc_compile_options_initialize();
        long result = NULL;
        try {
            Shaderc.shaderc_compile_options_set_target_env(options, Shaderc.shaderc_target_env_vulkan,
                    Shaderc.shaderc_env_version_vulkan_1_2);
            Shaderc.shaderc_compile_options_set_target_spirv(options, Shaderc.shaderc_spirv_version_1_5);
            Shaderc.shaderc_compile_options_set_optimization_level(options,
                    Shaderc.shaderc_optimization_level_performance);
            defines.forEach((k, v) -> Shaderc.shaderc_compile_options_add_macro_definition(options, k, v));
            result = Shaderc.shaderc_compile_into_spv(compiler, source, Shaderc.shaderc_compute_shader,
                    "shaders/" + resource, "main", options);
            if (result == NULL || Shaderc.shaderc_result_get_compilation_status(result)
                    != Shaderc.shaderc_compilation_status_success) {
                String log = result == NULL ? "no result" : Shaderc.shaderc_result_get_error_message(result);
                throw new VkException("shader shaders/" + resource + " " + defines + " does not compile: " + log);
            }
            ByteBuffer bytes = Shaderc.shaderc_result_get_bytes(result);
            ByteBuffer copy = MemoryUtil.memAlloc(bytes.remaining());
            copy.put(bytes).flip();
            return copy;
        } finally {
            if (result != NULL) {
                Shaderc.shaderc_result_release(result);
            }
            Shaderc.shaderc_compile_options_release(options);
            Shaderc.shaderc_compiler_release(compiler);
        }
    }

    /** Allocates one primary command buffer from the context's pool. */
    synchronized VkCommandBuffer newCommandBuffer() {
        ensureOpen();
        try (MemoryStack stack = stackPush()) {
            PointerBuffer pb = stack.mallocPointer(1);
            VkException.check(vkAllocateCommandBuffers(device, VkCommandBufferAllocateInfo.calloc(stack)
                    .sType$Default().commandPool(commandPool).level(VK_COMMAND_BUFFER_LEVEL_PRIMARY)
                    .commandBufferCount(1), pb), "vkAllocateCommandBuffers");
            return new VkCommandBuffer(pb.get(0), device);
        }
    }

    synchronized void freeCommandBuffer(VkCommandBuffer cb) {
        if (!closed) {
            vkFreeCommandBuffers(device, commandPool, cb);
        }
    }

    /**
     * Submits a recorded command buffer and waits for it (fence), naming {@code what} on failure. The fence is made
     * once and reset after each wait: on the H100 a fence created per submission cost 0.53 ms, a reused one 0.05 ms
     * for the whole submit and wait (SyncProbe).
     */
    synchronized void submitAndWait(VkCommandBuffer cb, String what) {
        submitAndWait(new VkCommandBuffer[] {cb}, what);
    }

    /** The same for several command buffers, in order, in one submission (one fence wait for all). */
    synchronized void submitAndWait(VkCommandBuffer[] cbs, String what) {
        ensureOpen();
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            if (fence == VK_NULL_HANDLE) {
                VkException.check(vkCreateFence(device, org.lwjgl.vulkan.VkFenceCreateInfo.calloc(stack)
                        .sType$Default(), null, lp), "vkCreateFence");
                fence = lp.get(0);
            }
            lp.put(0, fence);
            VkException.check(vkQueueSubmit(queue, org.lwjgl.vulkan.VkSubmitInfo.calloc(stack).sType$Default()
                    .pCommandBuffers(stack.pointers(cbs)), fence), "vkQueueSubmit (" + what + ")");
            try {
                VkException.check(vkWaitForFences(device, lp, true, 60_000_000_000L),
                        "vkWaitForFences (" + what + ")");
            } finally {
                vkResetFences(device, lp);
            }
        }
    }

    /** Whether {@link #newExportedSemaphore} works: the device has VK_KHR_external_semaphore_fd. */
    public boolean externalSemaphoreFd() {
        return externalSemaphoreFd;
    }

    /**
     * A binary semaphore that can be exported as an opaque file descriptor (for OpenGL's GL_EXT_semaphore_fd to
     * signal); {@link #exportSemaphoreFd} hands out the descriptor.
     */
    public long newExportedSemaphore() {
        ensureOpen();
        if (!externalSemaphoreFd) {
            throw new VkException("Vulkan device " + capabilities.deviceName()
                    + " has no VK_KHR_external_semaphore_fd: no semaphore can be shared with OpenGL");
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkExportSemaphoreCreateInfo export = VkExportSemaphoreCreateInfo.calloc(stack).sType$Default()
                    .handleTypes(VK11.VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT);
            VkException.check(vkCreateSemaphore(device, VkSemaphoreCreateInfo.calloc(stack).sType$Default()
                    .pNext(export.address()), null, lp), "vkCreateSemaphore (exportable)");
            return lp.get(0);
        }
    }

    /** A new file descriptor of {@code semaphore}'s payload; the importer (glImportSemaphoreFdEXT) owns it. */
    public int exportSemaphoreFd(long semaphore) {
        try (MemoryStack stack = stackPush()) {
            IntBuffer fd = stack.mallocInt(1);
            VkException.check(KHRExternalSemaphoreFd.vkGetSemaphoreFdKHR(device, VkSemaphoreGetFdInfoKHR.calloc(stack)
                    .sType$Default().semaphore(semaphore).handleType(
                            VK11.VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT), fd), "vkGetSemaphoreFdKHR");
            return fd.get(0);
        }
    }

    public void destroySemaphore(long semaphore) {
        if (!closed && semaphore != VK_NULL_HANDLE) {
            vkDestroySemaphore(device, semaphore, null);
        }
    }

    /** An unsignalled fence, reused by its owner across submits ({@link #submit}, {@link #await}). */
    public long newFence() {
        ensureOpen();
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkException.check(vkCreateFence(device, VkFenceCreateInfo.calloc(stack).sType$Default(), null, lp),
                    "vkCreateFence");
            return lp.get(0);
        }
    }

    public void destroyFence(long fence) {
        if (!closed && fence != VK_NULL_HANDLE) {
            vkDestroyFence(device, fence, null);
        }
    }

    /**
     * Submits a recorded command buffer without waiting for it: it starts once {@code waitSemaphore} (0: none) is
     * signalled and signals {@code fence} (reset here) when done. Only the queue is locked, so that another thread's
     * {@link #await} does not hold up this submit.
     */
    void submit(VkCommandBuffer cb, long waitSemaphore, long fence, String what) {
        try (MemoryStack stack = stackPush()) {
            VkSubmitInfo info = VkSubmitInfo.calloc(stack).sType$Default().pCommandBuffers(stack.pointers(cb));
            if (waitSemaphore != VK_NULL_HANDLE) {
                info.waitSemaphoreCount(1).pWaitSemaphores(stack.longs(waitSemaphore))
                        .pWaitDstStageMask(stack.ints(VK_PIPELINE_STAGE_ALL_COMMANDS_BIT));
            }
            synchronized (this) {
                ensureOpen();
                VkException.check(vkResetFences(device, stack.longs(fence)), "vkResetFences (" + what + ")");
                VkException.check(vkQueueSubmit(queue, info, fence), "vkQueueSubmit (" + what + ")");
            }
        }
    }

    /** Waits for a fence of {@link #submit}, naming {@code what} on failure or after a minute. */
    void await(long fence, String what) {
        ensureOpen();
        try (MemoryStack stack = stackPush()) {
            int r = vkWaitForFences(device, stack.longs(fence), true, 60_000_000_000L);
            if (r == VK_TIMEOUT) {
                throw new VkException("vkWaitForFences (" + what + "): no result after 60 s");
            }
            VkException.check(r, "vkWaitForFences (" + what + ")");
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new VkException("Vulkan context is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        vkDeviceWaitIdle(device);
        List<Pipeline> all = new ArrayList<>(pipelines.values());
        for (Pipeline p : all) {
            vkDestroyPipeline(device, p.pipeline(), null);
            vkDestroyPipelineLayout(device, p.layout(), null);
            vkDestroyDescriptorSetLayout(device, p.setLayout(), null);
            vkDestroyShaderModule(device, p.module(), null);
        }
        pipelines.clear();
        if (fence != VK_NULL_HANDLE) {
            vkDestroyFence(device, fence, null);
        }
        vkDestroyCommandPool(device, commandPool, null);
        vkDestroyDevice(device, null);
        vkDestroyInstance(instance, null);
        memoryProperties.free();
    }
}
