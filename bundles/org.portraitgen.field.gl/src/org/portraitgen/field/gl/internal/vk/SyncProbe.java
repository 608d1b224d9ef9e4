package org.portraitgen.field.gl.internal.vk;

import static org.lwjgl.opengl.GL43C.*;
import static org.lwjgl.vulkan.VK10.*;

import java.nio.LongBuffer;
import java.util.Arrays;

import org.lwjgl.system.MemoryStack;
import org.lwjgl.vulkan.VkCommandBuffer;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;

/**
 * Latency of the hand-overs between GL and Vulkan that the trainer's Vulkan CNN makes per frame, each alone (median
 * microseconds): glFinish on an idle GPU, a GL fence waited by polling, a hop to the Vulkan thread and back, an
 * empty Vulkan submission waited on its fence (blocking, and by polling vkGetFenceStatus).
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.vk.SyncProbe</pre>
 */
public final class SyncProbe {
    private SyncProbe() {
    }

    interface Op {
        void run();
    }

    static double medianMicros(int n, Op op) {
        for (int i = 0; i < n / 4; i++) {
            op.run();
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            op.run();
            t[i] = (System.nanoTime() - s) / 1e3;
        }
        Arrays.sort(t);
        return t[n / 2];
    }

    public static void main(String[] args) {
        int n = 400;
        try (GlContext gl = GlContext.open(); VulkanThread thread = new VulkanThread()) {
            VkCompute vk = thread.call(VkCompute::open);
            try {
                System.out.println("| hand-over | median µs |\n|---|---|");
                double finish = gl.call(() -> medianMicros(n, () -> glFinish()));
                System.out.printf("| glFinish, idle GPU | %.1f |%n", finish);
                double fence = gl.call(() -> medianMicros(n, () -> {
                    long sync = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
                    while (glClientWaitSync(sync, GL_SYNC_FLUSH_COMMANDS_BIT, 0) == GL_TIMEOUT_EXPIRED) {
                        Thread.onSpinWait();
                    }
                    glDeleteSync(sync);
                }));
                System.out.printf("| GL fence, polled | %.1f |%n", fence);
                double hop = gl.call(() -> medianMicros(n, () -> thread.run(() -> {
                })));
                System.out.printf("| GL thread -> Vulkan thread -> back | %.1f |%n", hop);
                VkCommandBuffer cb = thread.call(vk::newCommandBuffer);
                try (VkCommands commands = new VkCommands(vk, 1, 2)) {
                    thread.run(() -> commands.record(cb, c -> {
                        commands.resetQueries(c);
                        commands.timestamp(c, 0);
                    }));
                    double blocking = thread.call(() -> medianMicros(n, () -> vk.submitAndWait(cb, "probe")));
                    System.out.printf("| empty Vulkan submit + wait (VkCompute.submitAndWait) | %.1f |%n", blocking);
                    double polled = thread.call(() -> medianMicros(n, () -> submitPolling(vk, cb)));
                    System.out.printf("| empty Vulkan submit, fence created per submission, vkGetFenceStatus polled | %.1f |%n", polled);
                    long reusedFence = thread.call(() -> {
                        try (MemoryStack stack = MemoryStack.stackPush()) {
                            LongBuffer lp = stack.mallocLong(1);
                            vkCreateFence(vk.device(), org.lwjgl.vulkan.VkFenceCreateInfo.calloc(stack)
                                    .sType$Default(), null, lp);
                            return lp.get(0);
                        }
                    });
                    double[] split = new double[2];
                    double reused = thread.call(() -> medianMicros(n, () -> {
                        try (MemoryStack stack = MemoryStack.stackPush()) {
                            long s0 = System.nanoTime();
                            vkQueueSubmit(vk.queue(), org.lwjgl.vulkan.VkSubmitInfo.calloc(stack).sType$Default()
                                    .pCommandBuffers(stack.pointers(cb)), reusedFence);
                            long s1 = System.nanoTime();
                            vkWaitForFences(vk.device(), stack.longs(reusedFence), true, Long.MAX_VALUE);
                            split[0] += (s1 - s0) / 1e3;
                            split[1] += (System.nanoTime() - s1) / 1e3;
                            vkResetFences(vk.device(), stack.longs(reusedFence));
                        }
                    }));
                    System.out.printf("| the same with one reused fence | %.1f | (mean in vkQueueSubmit %.1f, waiting "
                            + "%.1f) |%n", reused, split[0] / (n * 1.25), split[1] / (n * 1.25));
                    double noCommands = thread.call(() -> medianMicros(n, () -> {
                        try (MemoryStack stack = MemoryStack.stackPush()) {
                            vkQueueSubmit(vk.queue(), org.lwjgl.vulkan.VkSubmitInfo.calloc(stack).sType$Default(),
                                    reusedFence);
                            vkWaitForFences(vk.device(), stack.longs(reusedFence), true, Long.MAX_VALUE);
                            vkResetFences(vk.device(), stack.longs(reusedFence));
                        }
                    }));
                    System.out.printf("| submit of no command buffer + fence | %.1f |%n", noCommands);
                    double waitIdle = thread.call(() -> medianMicros(n, () -> {
                        try (MemoryStack stack = MemoryStack.stackPush()) {
                            vkQueueSubmit(vk.queue(), org.lwjgl.vulkan.VkSubmitInfo.calloc(stack).sType$Default()
                                    .pCommandBuffers(stack.pointers(cb)), VK_NULL_HANDLE);
                            vkQueueWaitIdle(vk.queue());
                        }
                    }));
                    System.out.printf("| submit + vkQueueWaitIdle | %.1f |%n", waitIdle);
                    thread.run(() -> vkDestroyFence(vk.device(), reusedFence, null));
                    double glBusy = gl.call(() -> {
                        try (GlBuffer b = new GlBuffer("probe")) {
                            b.zero(64L << 20);
                            return medianMicros(n / 4, () -> {
                                b.zero(64L << 20);
                                glFinish();
                            });
                        }
                    });
                    System.out.printf("| GL clear of 64 MiB + glFinish | %.1f |%n", glBusy);
                } finally {
                    thread.run(() -> vk.freeCommandBuffer(cb));
                }
            } finally {
                thread.run(vk::close);
            }
        }
    }

    static void submitPolling(VkCompute vk, VkCommandBuffer cb) {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            LongBuffer lp = stack.mallocLong(1);
            VkException.check(vkCreateFence(vk.device(), org.lwjgl.vulkan.VkFenceCreateInfo.calloc(stack)
                    .sType$Default(), null, lp), "vkCreateFence");
            long fence = lp.get(0);
            VkException.check(vkQueueSubmit(vk.queue(), org.lwjgl.vulkan.VkSubmitInfo.calloc(stack).sType$Default()
                    .pCommandBuffers(stack.pointers(cb)), fence), "vkQueueSubmit");
            while (vkGetFenceStatus(vk.device(), fence) == VK_NOT_READY) {
                Thread.onSpinWait();
            }
            vkDestroyFence(vk.device(), fence, null);
        }
    }
}
