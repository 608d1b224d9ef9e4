package org.portraitgen.field.gl;

import static org.lwjgl.opengl.GL43C.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.lwjgl.opengl.GL;
import org.lwjgl.system.Configuration;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.egl.HeadlessEgl;

/**
 * The owner of one headless OpenGL compute context. A GL context is current on one thread only, so every GL call
 * goes through {@link #call}: requests run one after another, in submission order, on the dedicated thread
 * {@code portraitgen-gl}. Usable without OSGi (the GPU machine runs it from a plain {@code java -cp}).
 */
public final class GlContext implements AutoCloseable {
    /** What a request does on the GL thread; it may use every GL function and {@link #shaders()}. */
    @FunctionalInterface
    public interface GlTask<T> {
        T run() throws Exception;
    }

    /** A user's switch to keep the GPU path off (a driver that misbehaves, a shared machine): the CPU serves. */
    public static final String DISABLE_PROPERTY = "portraitgen.gl.disable";

    private final ExecutorService thread;
    private volatile Thread glThread;
    private HeadlessEgl egl;
    private GlCapabilities capabilities;
    private ShaderLibrary shaders;
    private volatile boolean closed;

    private GlContext() {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "portraitgen-gl");
            t.setDaemon(true);
            glThread = t;
            return t;
        });
    }

    /**
     * Opens the context and checks it can run compute shaders (OpenGL 4.3). Throws {@link GlException} saying why
     * when it cannot; nothing is left running then.
     */
    public static GlContext open() {
        if (Boolean.getBoolean(DISABLE_PROPERTY)) {
            throw new GlException("the GPU is switched off (-D" + DISABLE_PROPERTY + "=true)");
        }
        GlContext c = new GlContext();
        try {
            c.call(() -> {
                c.init();
                return null;
            });
            return c;
        } catch (GlException e) {
            c.thread.shutdownNow();
            throw e;
        }
    }

    private void init() {
        // the shared-library extraction default is the user's temp dir; keep the product's choice if it set one
        if (System.getProperty("org.lwjgl.system.SharedLibraryExtractDirectory") == null) {
            Configuration.SHARED_LIBRARY_EXTRACT_DIRECTORY.set("lwjgl-" + System.getProperty("user.name", "user"));
        }
        egl = HeadlessEgl.open();
        try {
            Configuration.OPENGL_CONTEXT_API.set("EGL");
            GL.createCapabilities();
            capabilities = queryCapabilities(egl.deviceDescription);
            if (!GL.getCapabilities().OpenGL43 && !GL.getCapabilities().GL_ARB_compute_shader) {
                throw new GlException("the context has no compute shaders (OpenGL 4.3 or ARB_compute_shader): "
                        + capabilities.renderer() + " " + capabilities.version());
            }
            shaders = new ShaderLibrary(capabilities);
        } catch (RuntimeException | Error e) {
            egl.close();
            egl = null;
            throw e instanceof GlException g ? g : new GlException("OpenGL initialisation failed: " + e, e);
        }
    }

    private static GlCapabilities queryCapabilities(String device) {
        Set<String> all = new HashSet<>();
        for (int i = 0, n = glGetInteger(GL_NUM_EXTENSIONS); i < n; i++) {
            all.add(glGetStringi(GL_EXTENSIONS, i));
        }
        List<String> interesting = new ArrayList<>();
        for (String e : GlCapabilities.INTERESTING) {
            if (all.contains(e)) {
                interesting.add(e);
            }
        }
        int[] size = new int[3];
        int[] count = new int[3];
        for (int i = 0; i < 3; i++) {
            size[i] = glGetIntegeri(GL_MAX_COMPUTE_WORK_GROUP_SIZE, i);
            count[i] = glGetIntegeri(GL_MAX_COMPUTE_WORK_GROUP_COUNT, i);
        }
        String renderer = glGetString(GL_RENDERER);
        boolean software = renderer != null && (renderer.contains("llvmpipe") || renderer.contains("softpipe"));
        return new GlCapabilities(device, glGetString(GL_VENDOR), renderer, glGetString(GL_VERSION),
                glGetString(GL_SHADING_LANGUAGE_VERSION), software, List.copyOf(interesting),
                glGetInteger(GL_MAX_COMPUTE_SHARED_MEMORY_SIZE), glGetInteger(GL_MAX_COMPUTE_WORK_GROUP_INVOCATIONS),
                size, count, glGetInteger64(GL_MAX_SHADER_STORAGE_BLOCK_SIZE));
    }

    /** Runs {@code task} on the GL thread and waits for it; failures come back as {@link GlException}. */
    public <T> T call(GlTask<T> task) {
        if (Thread.currentThread() == glThread) {
            return runHere(task); // re-entrant from a task: already on the right thread
        }
        if (closed) {
            throw new GlException("the GL context is closed");
        }
        Future<T> f = thread.submit(() -> runHere(task));
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GlException("interrupted while waiting for the GL thread", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GlException g) {
                throw g;
            }
            throw new GlException("GL request failed: " + cause, cause);
        }
    }

    private static <T> T runHere(GlTask<T> task) {
        try {
            return task.run();
        } catch (GlException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw new GlException(e.toString(), e);
        }
    }

    /** True once {@link #close()} ran: every further request fails. */
    public boolean isClosed() {
        return closed;
    }

    public GlCapabilities capabilities() {
        return capabilities;
    }

    /** The shader cache of this context; only on the GL thread. */
    public ShaderLibrary shaders() {
        checkThread();
        return shaders;
    }

    /** Free GPU memory in KiB where the driver tells (NVX_gpu_memory_info), else -1; only on the GL thread. */
    public long freeMemoryKiB() {
        checkThread();
        if (!capabilities.has("GL_NVX_gpu_memory_info")) {
            return -1;
        }
        return glGetInteger(0x9049); // GL_GPU_MEMORY_INFO_CURRENT_AVAILABLE_VIDMEM_NVX
    }

    /** Throws unless the caller is the GL thread: GL calls from another thread would hit no context or a crash. */
    public void checkThread() {
        if (Thread.currentThread() != glThread) {
            throw new GlException("GL used from " + Thread.currentThread().getName() + ", not the GL thread");
        }
    }

    /** Releases the context; pending requests still run first. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        thread.execute(() -> {
            try {
                if (shaders != null) {
                    shaders.close();
                }
                if (egl != null) {
                    egl.close();
                }
            } finally {
                GL.setCapabilities(null);
                done.complete(null);
            }
        });
        done.join();
        thread.shutdown();
    }
}
