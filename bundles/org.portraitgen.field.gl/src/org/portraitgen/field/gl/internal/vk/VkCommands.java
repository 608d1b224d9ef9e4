package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.system.MemoryStack.stackPush;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.LongBuffer;
import java.util.function.Consumer;

import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkBufferCopy;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.lwjgl.vulkan.VkCommandBufferBeginInfo;
import org.lwjgl.vulkan.VkDescriptorBufferInfo;
import org.lwjgl.vulkan.VkDescriptorPoolCreateInfo;
import org.lwjgl.vulkan.VkDescriptorPoolSize;
import org.lwjgl.vulkan.VkDescriptorSetAllocateInfo;
import org.lwjgl.vulkan.VkMemoryBarrier;
import org.lwjgl.vulkan.VkQueryPoolCreateInfo;
import org.lwjgl.vulkan.VkWriteDescriptorSet;

/**
 * Recording of compute work that is submitted many times: the descriptor sets it binds come from one pool owned
 * here (written once, at recording), and a timestamp query pool times the recorded stages. Every dispatch is
 * followed by a full compute barrier, so recorded stages run in order.
 */
final class VkCommands implements AutoCloseable {
    /** A range of a buffer bound to one binding. */
    record Slice(VkBuf buf, long offset, long size) {
        static Slice of(VkBuf b) {
            return new Slice(b, 0, VK_WHOLE_SIZE);
        }
    }

    private final VkCompute vk;
    private final long descriptorPool;
    private final long queries;
    private final int queryCount;

    VkCommands(VkCompute vk, int maxSets, int queryCount) {
        this.vk = vk;
        this.queryCount = queryCount;
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkDescriptorPoolSize.Buffer sizes = VkDescriptorPoolSize.calloc(1, stack);
            sizes.get(0).type(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).descriptorCount(maxSets * 8);
            VkException.check(vkCreateDescriptorPool(vk.device(), VkDescriptorPoolCreateInfo.calloc(stack)
                    .sType$Default().maxSets(maxSets).pPoolSizes(sizes), null, lp), "vkCreateDescriptorPool");
            descriptorPool = lp.get(0);
            VkException.check(vkCreateQueryPool(vk.device(), VkQueryPoolCreateInfo.calloc(stack).sType$Default()
                    .queryType(VK_QUERY_TYPE_TIMESTAMP).queryCount(queryCount), null, lp), "vkCreateQueryPool");
            queries = lp.get(0);
        }
    }

    /** Records {@code body} into {@code cb} (reset first). */
    void record(VkCommandBuffer cb, Consumer<VkCommandBuffer> body) {
        try (MemoryStack stack = stackPush()) {
            VkException.check(vkResetCommandBuffer(cb, 0), "vkResetCommandBuffer");
            VkException.check(vkBeginCommandBuffer(cb, VkCommandBufferBeginInfo.calloc(stack).sType$Default()),
                    "vkBeginCommandBuffer");
            body.accept(cb);
            VkException.check(vkEndCommandBuffer(cb), "vkEndCommandBuffer");
        }
    }

    void dispatch(VkCommandBuffer cb, VkCompute.Pipeline p, Slice[] bufs, int[] push, int gx, int gy) {
        if (bufs.length != p.buffers()) {
            throw new IllegalArgumentException(p.name() + " takes " + p.buffers() + " buffers");
        }
        try (MemoryStack stack = stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkException.check(vkAllocateDescriptorSets(vk.device(), VkDescriptorSetAllocateInfo.calloc(stack)
                    .sType$Default().descriptorPool(descriptorPool).pSetLayouts(stack.longs(p.setLayout())), lp),
                    "vkAllocateDescriptorSets for " + p.name());
            long set = lp.get(0);
            VkWriteDescriptorSet.Buffer writes = VkWriteDescriptorSet.calloc(bufs.length, stack);
            for (int i = 0; i < bufs.length; i++) {
                VkDescriptorBufferInfo.Buffer info = VkDescriptorBufferInfo.calloc(1, stack);
                info.get(0).buffer(bufs[i].buf().handle).offset(bufs[i].offset()).range(bufs[i].size());
                writes.get(i).sType$Default().dstSet(set).dstBinding(i).descriptorCount(1)
                        .descriptorType(VK_DESCRIPTOR_TYPE_STORAGE_BUFFER).pBufferInfo(info);
            }
            vkUpdateDescriptorSets(vk.device(), writes, null);
            vkCmdBindPipeline(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.pipeline());
            vkCmdBindDescriptorSets(cb, VK_PIPELINE_BIND_POINT_COMPUTE, p.layout(), 0, stack.longs(set), null);
            vkCmdPushConstants(cb, p.layout(), VK_SHADER_STAGE_COMPUTE_BIT, 0, stack.ints(push));
            vkCmdDispatch(cb, gx, gy, 1);
            barrier(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_ACCESS_SHADER_WRITE_BIT);
        }
    }

    void copy(VkCommandBuffer cb, VkBuf from, VkBuf to, long bytes) {
        try (MemoryStack stack = stackPush()) {
            VkBufferCopy.Buffer region = VkBufferCopy.calloc(1, stack);
            region.get(0).size(bytes);
            vkCmdCopyBuffer(cb, from.handle, to.handle, region);
        }
    }

    void fill(VkCommandBuffer cb, VkBuf buf, int value) {
        vkCmdFillBuffer(cb, buf.handle, 0, VK_WHOLE_SIZE, value);
    }

    /** Makes earlier writes of {@code srcStage} visible to later compute, transfer and host access. */
    void barrier(VkCommandBuffer cb, int srcStage, int srcAccess) {
        try (MemoryStack stack = stackPush()) {
            VkMemoryBarrier.Buffer mb = VkMemoryBarrier.calloc(1, stack);
            mb.get(0).sType$Default().srcAccessMask(srcAccess).dstAccessMask(VK_ACCESS_SHADER_READ_BIT
                    | VK_ACCESS_SHADER_WRITE_BIT | VK_ACCESS_TRANSFER_READ_BIT | VK_ACCESS_TRANSFER_WRITE_BIT
                    | VK_ACCESS_HOST_READ_BIT);
            vkCmdPipelineBarrier(cb, srcStage, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT
                    | VK_PIPELINE_STAGE_HOST_BIT, 0, mb, null, null);
        }
    }

    void resetQueries(VkCommandBuffer cb) {
        vkCmdResetQueryPool(cb, queries, 0, queryCount);
    }

    void timestamp(VkCommandBuffer cb, int query) {
        timestamp(cb, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, query);
    }

    void timestamp(VkCommandBuffer cb, int stage, int query) {
        vkCmdWriteTimestamp(cb, stage, queries, query);
    }

    /** The timestamps of the last submission, in device ticks (waits for them). */
    long[] ticks() {
        try (MemoryStack stack = stackPush()) {
            LongBuffer lb = stack.mallocLong(queryCount);
            VkException.check(vkGetQueryPoolResults(vk.device(), queries, 0, queryCount, lb, 8,
                    VK_QUERY_RESULT_64_BIT | VK_QUERY_RESULT_WAIT_BIT), "vkGetQueryPoolResults");
            long[] t = new long[queryCount];
            lb.get(t);
            return t;
        }
    }

    /** Milliseconds between timestamp {@code from} and {@code to} of the last submission. */
    double millis(int from, int to) {
        long[] t = ticks();
        return (t[to] - t[from]) * vk.timestampPeriodNs() * 1e-6;
    }

    @Override
    public void close() {
        vkDestroyQueryPool(vk.device(), queries, null);
        vkDestroyDescriptorPool(vk.device(), descriptorPool, null);
    }
}
