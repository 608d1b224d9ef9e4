package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.GlException;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bench.Scenes;
import org.portraitgen.field.gl.internal.service.GlFieldServiceRegistrar;
import org.portraitgen.field.gl.internal.service.GlGaussianFieldService;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * What can be provoked on llvmpipe of the failures a real GPU has: a shader the driver will not compile, an
 * allocation beyond the storage block limit, a context that goes away under a running service. Each must give a
 * clear error and the CPU path, never a JVM crash.
 */
class GlRobustnessTest {

    @Test
    void aBufferBeyondTheStorageBlockLimitIsAClearErrorAndTheContextStaysUsable() {
        GlContext gl = SharedContext.get();
        long limit = gl.capabilities().maxStorageBlockBytes();
        GlException e = assertThrows(GlException.class, () -> gl.call(() -> {
            try (GlBuffer huge = new GlBuffer("huge test image")) {
                return huge.ensure(limit + 4);
            }
        }));
        assertTrue(e.getMessage().contains("huge test image") && e.getMessage().contains(
                "GL_MAX_SHADER_STORAGE_BLOCK_SIZE"), e.getMessage());
        // the context goes on serving
        Map<String, Double> errors = Parity.forward(gl, Scenes.random(50, 4, 3), Scenes.turnedCamera(20, 16));
        errors.forEach((k, v) -> assertTrue(v < RasterizerParityTest.FORWARD_BOUND, k + " " + v));
    }

    @Test
    void aShaderThatDoesNotCompileAtStartUpLeavesTheCpuServingAndSaysWhich() {
        BundleContext ctx = FrameworkUtil.getBundle(GlGaussianFieldService.class).getBundleContext();
        GlFieldServiceRegistrar registrar = new GlFieldServiceRegistrar();
        System.setProperty(ShaderLibrary.BREAK_SHADER_PROPERTY, "cnn/conv2d_weight_grad.comp");
        try {
            registrar.openAndRegister(ctx);
        } finally {
            System.clearProperty(ShaderLibrary.BREAK_SHADER_PROPERTY);
        }
        try {
            assertFalse(registrar.available());
            String report = registrar.report();
            assertTrue(report.contains("shaders/cnn/conv2d_weight_grad.comp") && report.contains("CPU one serves"),
                    report);
        } finally {
            registrar.deactivate();
        }
    }

    @Test
    void aServiceWhoseContextIsGoneRendersOnTheCpu() throws Exception {
        GlContext own = GlContext.open();
        GlGaussianFieldService service = new GlGaussianFieldService(own);
        try {
            Scenes.TrainingScene scene = Scenes.trainingScene(16, 2, 6, 32, 1, 4);
            GaussianField field = scene.field();
            FieldHandle handle = service.adopt(field);
            own.close(); // what a lost context leaves behind: every GL request fails
            FloatImage image = service.render(handle, scene.frames().get(0).state());
            assertNotNull(service.fallbackReason());
            assertTrue(service.fallbackReason().contains("closed"), service.fallbackReason());
            float[] cpu;
            try (Workers w = new Workers(2);
                    GaussianField.Frame fr = field.render(scene.frames().get(0).state(), new Rasterizer(w),
                            new JavaCnn(w))) {
                cpu = fr.rgb();
            }
            double[] reference = new double[cpu.length];
            for (int i = 0; i < cpu.length; i++) {
                reference[i] = cpu[i];
            }
            assertTrue(Parity.relativeL2(reference, image.data()) < 1e-4, "the CPU fallback renders the field");
            assertThrows(GlException.class, () -> service.trainer(field,
                    org.portraitgen.field.internal.train.LossWeights.portraitGen()));
        } finally {
            service.close();
        }
    }

    /**
     * A buffer over memory owned elsewhere (Vulkan memory imported into GL on the GPU machine; here an ordinary GL
     * buffer stands in): reads go through a GPU copy and give the data at the asked offset, it cannot grow, and
     * closing it runs its release.
     */
    @Test
    void fixedBuffersReadThroughACopyAndRefuseToGrow() {
        GlContext gl = SharedContext.get();
        boolean[] released = {false};
        gl.call(() -> {
            int id = org.lwjgl.opengl.GL15C.glGenBuffers();
            org.lwjgl.opengl.GL15C.glBindBuffer(org.lwjgl.opengl.GL43C.GL_SHADER_STORAGE_BUFFER, id);
            org.lwjgl.opengl.GL15C.glBufferData(org.lwjgl.opengl.GL43C.GL_SHADER_STORAGE_BUFFER, 64,
                    org.lwjgl.opengl.GL15C.GL_DYNAMIC_COPY);
            GlBuffer fixed = GlBuffer.fixed("test fixed", id, 64, () -> released[0] = true);
            float[] values = new float[16];
            for (int i = 0; i < values.length; i++) {
                values[i] = i * 0.5f;
            }
            fixed.upload(values);
            assertArrayEquals(java.util.Arrays.copyOfRange(values, 3, 9), fixed.readFloats(3, 6));
            values[4] = -7f;
            fixed.upload(values);
            assertEquals(-7f, fixed.readFloats(4, 1)[0], "a second read sees the new data");
            assertEquals(Float.floatToIntBits(values[5]), fixed.readInts(5, 1)[0]);
            GlException e = assertThrows(GlException.class, () -> fixed.ensure(128));
            assertTrue(e.getMessage().contains("test fixed holds 64 bytes and cannot grow to 128"), e.getMessage());
            fixed.close();
            return null;
        });
        assertTrue(released[0], "closing runs the release");
    }
}
