package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.GlCapabilities;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.ShaderCompileException;
import org.portraitgen.field.gl.internal.ShaderLibrary;

class GlContextTest {
    @Test
    void opensAComputeContextAndReportsIt() {
        GlCapabilities caps = SharedContext.get().capabilities();
        System.out.println(caps.report());
        assertNotNull(caps.renderer());
        assertTrue(caps.version().startsWith("4."), caps.version());
        assertTrue(caps.maxSharedMemoryBytes() >= 16 * 1024, "GL 4.3 guarantees 32 KiB; kernels need 16");
        assertTrue(caps.maxInvocations() >= 256, "the tile kernels run 16x16 work groups");
        assertTrue(caps.report().contains("GL_RENDERER"));
    }

    @Test
    void compileErrorsNameTheFileAndLine() {
        ShaderCompileException e = assertThrows(ShaderCompileException.class, () -> SharedContext.get().call(
                () -> ShaderLibrary.compileAndLink("shaders/broken.comp",
                        "#version 430 core\nlayout(local_size_x = 1) in;\nvoid main() {\n  undeclared = 1;\n}\n")));
        assertEquals("shaders/broken.comp", e.shader());
        assertEquals(4, e.line(), e.getMessage());
        assertTrue(e.getMessage().startsWith("shaders/broken.comp:4"), e.getMessage());
    }

    @Test
    void aMissingShaderResourceIsAClearError() {
        GlContext gl = SharedContext.get();
        GlException e = assertThrows(GlException.class,
                () -> gl.call(() -> gl.shaders().program("no_such_kernel.comp", Map.of())));
        assertTrue(e.getMessage().contains("shaders/no_such_kernel.comp"), e.getMessage());
    }

    @Test
    void programsAreCompiledOnceAndCached() {
        GlContext gl = SharedContext.get();
        int first = gl.call(() -> gl.shaders().program("scan/scan_blocks.comp", Map.of("WORKGROUP_SIZE", 256, "ITEMS", 4)));
        int again = gl.call(() -> gl.shaders().program("scan/scan_blocks.comp", Map.of("WORKGROUP_SIZE", 256, "ITEMS", 4)));
        int other = gl.call(() -> gl.shaders().program("scan/scan_blocks.comp", Map.of("WORKGROUP_SIZE", 64, "ITEMS", 4)));
        assertEquals(first, again);
        assertNotEquals(first, other, "different defines are different programs");
    }

    @Test
    void requestsFromManyThreadsRunOneAtATimeInOrderOnTheGlThread() throws Exception {
        GlContext gl = SharedContext.get();
        List<String> threads = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> gl.call(() -> {
                    threads.add(Thread.currentThread().getName());
                    return n;
                })));
            }
            for (int i = 0; i < 40; i++) {
                assertEquals(i, results.get(i).get());
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(threads.stream().allMatch("portraitgen-gl"::equals), threads.toString());
        // submission order from one thread is execution order
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Future<?>> pending = new ArrayList<>();
        ExecutorService single = Executors.newSingleThreadExecutor();
        try {
            for (int i = 0; i < 20; i++) {
                int n = i;
                pending.add(single.submit(() -> gl.call(() -> order.add(n))));
            }
            for (Future<?> f : pending) {
                f.get();
            }
        } finally {
            single.shutdown();
        }
        for (int i = 0; i < 20; i++) {
            assertEquals(i, order.get(i));
        }
    }

    @Test
    void glFromAnotherThreadIsRefusedNotCrashed() {
        GlContext gl = SharedContext.get();
        assertThrows(GlException.class, gl::shaders);
        assertThrows(GlException.class, gl::freeMemoryKiB);
    }

    @Test
    void exceptionsInsideARequestComeBackAsGlException() {
        GlException e = assertThrows(GlException.class, () -> SharedContext.get().call(() -> {
            throw new IllegalStateException("boom");
        }));
        assertTrue(e.getMessage().contains("boom"));
    }
}
