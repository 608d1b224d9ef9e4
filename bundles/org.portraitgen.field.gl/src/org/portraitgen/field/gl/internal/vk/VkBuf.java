package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.ByteBuffer;
import java.nio.LongBuffer;

import org.lwjgl.PointerBuffer;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;
import org.lwjgl.vulkan.VkBufferCreateInfo;
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
    /** The mapping of a host-visible buffer, else null. */
    private final ByteBuffer mapped;

    public VkBuf(VkCompute vk, String name, long size, boolean hostVisible) {
        this.vk = vk;
        this.name = name;
        this.size = Math.max(size, 16);
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkException.check(vkCreateBuffer(vk.device(), VkBufferCreateInfo.calloc(stack).sType$Default()
                    .size(this.size).usage(VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT
                            | VK_BUFFER_USAGE_TRANSFER_DST_BIT).sharingMode(VK_SHARING_MODE_EXCLUSIVE), null, lp),
                    "vkCreateBuffer '" + name + "' (" + this.size + " bytes)");
            handle = lp.get(0);
            VkMemoryRequirements req = VkMemoryRequirements.calloc(stack);
            vkGetBufferMemoryRequirements(vk.device(), handle, req);
            int wanted = hostVisible ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT
                    : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            int type = memoryType(vk.memoryProperties(), req.memoryTypeBits(), wanted);
            int r = vkAllocateMemory(vk.device(), VkMemoryAllocateInfo.calloc(stack).sType$Default()
                    .allocationSize(req.size()).memoryTypeIndex(type), null, lp);
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

    private static int memoryType(VkPhysicalDeviceMemoryProperties props, int allowed, int wanted) {
        for (int i = 0; i < props.memoryTypeCount(); i++) {
            if ((allowed & (1 << i)) != 0 && (props.memoryTypes(i).propertyFlags() & wanted) == wanted) {
                return i;
            }
        }
        throw new VkException("Vulkan: no memory type with flags 0x" + Integer.toHexString(wanted));
    }

    /** The host mapping (host-visible buffers only), little-endian, position 0. */
    public ByteBuffer mapped() {
        if (mapped == null) {
            throw new IllegalStateException("buffer '" + name + "' is not host-visible");
        }
        return mapped.duplicate().order(java.nio.ByteOrder.nativeOrder()).clear();
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
