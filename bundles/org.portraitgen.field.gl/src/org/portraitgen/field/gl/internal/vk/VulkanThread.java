package org.portraitgen.field.gl.internal.vk;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * A thread of its own for Vulkan calls made on behalf of the GL thread. NVIDIA's Vulkan driver lives in the same
 * library as its GL one, and Vulkan work done on a thread with a current EGL context left that context unusable on
 * the H100 (every later GL query returned 0); on its own thread it does not touch the GL thread's state.
 */
final class VulkanThread implements AutoCloseable {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "portraitgen-vulkan");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code task} on the Vulkan thread and waits for it; its exception is rethrown here. */
    <T> T call(Supplier<T> task) {
        Future<T> f = executor.submit(task::get);
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VkException("interrupted while waiting for the Vulkan thread");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new VkException("Vulkan thread: " + cause);
        }
    }

    void run(Runnable task) {
        call(() -> {
            task.run();
            return null;
        });
    }

    @Override
    public void close() {
        executor.shutdown();
    }
}
