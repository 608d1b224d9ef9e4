package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.KHRExternalMemoryFd;
import org.lwjgl.vulkan.VK11;
import org.lwjgl.vulkan.VkBufferCreateInfo;
import org.lwjgl.vulkan.VkExportMemoryAllocateInfo;
import org.lwjgl.vulkan.VkExternalMemoryBufferCreateInfo;
import org.lwjgl.vulkan.VkMemoryGetFdInfoKHR;
import org.lwjgl.vulkan.VkMemoryAllocateInfo;
import org.lwjgl.vulkan.VkMemoryRequirements;
import org.lwjgl.vulkan.VkPhysicalDeviceMemoryProperties;

/**
 * A storage buffer with its own memory: device-local (kernels' data) or host-visible and coherent, mapped for its
 * life (uploads and read-backs). Allocation failures name the buffer and its size.
 */
public final class VkBuf implements AutoCloseable {
    final String name;
    final long size;
    final long handle;
    private final long memory;
    private final VkCompute vk;
    /** Bytes of the memory allocation (≥ size): what an importer of {@link #exportFd()} must be told. */
    final long allocationSize;
    private final boolean cached;
    /** The mapping of a host-visible buffer, else null. */
    private final ByteBuffer mapped;

    public VkBuf(VkCompute vk, String name, long size, boolean hostVisible) {
        this(vk, name, size, hostVisible, false);
    }

    /**
     * @param exportable device-local memory that {@link #exportFd()} hands to OpenGL (GL_EXT_memory_object_fd); the
     *        device must have VK_KHR_external_memory_fd
     */
    public VkBuf(VkCompute vk, String name, long size, boolean hostVisible, boolean exportable) {
        this.vk = vk;
        this.name = name;
        this.size = Math.max(size, 16);
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkExternalMemoryBufferCreateInfo external = VkExternalMemoryBufferCreateInfo.calloc(stack)
                    .sType$Default().handleTypes(VK11.VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT);
            VkException.check(vkCreateBuffer(vk.device(), VkBufferCreateInfo.calloc(stack).sType$Default()
                    .pNext(exportable ? external.address() : 0L).size(this.size).usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT
                            | VK_BUFFER_USAGE_TRANSFER_DST_BIT).sharingMode(VK_SHARING_MODE_EXCLUSIVE), null, lp),
                    "vkCreateBuffer '" + name + "' (" + this.size + " bytes)");
            handle = lp.get(0);
            VkMemoryRequirements req = VkMemoryRequirements.calloc(stack);
            vkGetBufferMemoryRequirements(vk.device(), handle, req);
            int wanted = hostVisible ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                    : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            // host-visible: cached where the device offers it. Read-backs (the render's RGB) copy out of uncached
            // (write-combined) memory at a fraction of the speed, and uploads lose nothing by the cache
            int type = hostVisible ? memoryType(vk.memoryProperties(), req.memoryTypeBits(), wanted
                    | VK_MEMORY_PROPERTY_HOST_CACHED_BIT, -1) : -1;
            if (type < 0) {
                type = memoryType(vk.memoryProperties(), req.memoryTypeBits(), wanted, -1);
            }
            if (type < 0) {
                vkDestroyBuffer(vk.device(), handle, null);
                throw new VkException("Vulkan: no memory type with flags 0x" + Integer.toHexString(wanted)
                        + " for '" + name + "'");
            }
            cached = hostVisible && (vk.memoryProperties().memoryTypes(type).propertyFlags()
                    & VK_MEMORY_PROPERTY_HOST_CACHED_BIT) != 0;
            VkExportMemoryAllocateInfo export = VkExportMemoryAllocateInfo.calloc(stack).sType$Default()
                    .handleTypes(VK11.VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT);
            allocationSize = req.size();
            int r = vkAllocateMemory(vk.device(), VkMemoryAllocateInfo.calloc(stack).sType$Default()
                    .pNext(exportable ? export.address() : 0L).allocationSize(req.size()).memoryTypeIndex(type),
                    null, lp);
            if (r != VK_SUCCESS) {
                vkDestroyBuffer(vk.device(), handle, null);
                VkException.check(r, "vkAllocateMemory for '" + name + "' (" + req.size() / (1024 * 1024)
                        + " MiB)");
            }
            memory = lp.get(0);
            VkException.check(vkBindBufferMemory(vk.device(), handle, memory, 0), "vkBindBufferMemory '" + name
                    + "'");
            if (hostVisible) {
                PointerBuffer pp = stack.mallocPointer(1);
                VkException.check(vkMapMemory(vk.device(), memory, 0, this.size, 0, pp), "vkMapMemory '" + name
                        + "'");
                mapped = MemoryUtil.memByteBuffer(pp.get(0), (int) Math.min(this.size, Integer.MAX_VALUE));
            } else {
                mapped = null;
            }
        }
    }

    /** The first allowed memory type with all of {@code wanted}'s flags, else {@code none}. */
    private static int memoryType(VkPhysicalDeviceMemoryProperties props, int allowed, int wanted, int none) {
        for (int i = 0; i < props.memoryTypeCount(); i++) {
            if ((allowed & (1 << i)) != 0 && (props.memoryTypes(i).propertyFlags() & wanted) == wanted) {
                return i;
            }
        }
        return none;
    }

    /** Host-visible memory that the CPU caches (fast to read back), as opposed to uncached or device memory. */
    public boolean hostCached() {
        return cached;
    }

    /** The host mapping (host-visible buffers only), little-endian, position 0. */
    public ByteBuffer mapped() {
        if (mapped == null) {
            throw new IllegalStateException("buffer '" + name + "' is not host-visible");
        }
        return mapped.duplicate().order(java.nio.ByteOrder.nativeOrder()).clear();
    }

    /** A new file descriptor for this buffer's memory; the importer (glImportMemoryFdEXT) owns it. */
    public int exportFd() {
        try (MemoryStack stack = stackPush()) {
            IntBuffer fd = stack.mallocInt(1);
            VkException.check(KHRExternalMemoryFd.vkGetMemoryFdKHR(vk.device(), VkMemoryGetFdInfoKHR.calloc(stack)
                    .sType$Default().memory(memory).handleType(VK11.VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT), fd),
                    "vkGetMemoryFdKHR for '" + name + "'");
            return fd.get(0);
        }
    }

    public long allocationSize() {
        return allocationSize;
    }

    public long size() {
        return size;
    }

    @Override
    public void close() {
        if (mapped != null) {
            vkUnmapMemory(vk.device(), memory);
        }
        vkDestroyBuffer(vk.device(), handle, null);
        vkFreeMemory(vk.device(), memory, null);
    }
}
