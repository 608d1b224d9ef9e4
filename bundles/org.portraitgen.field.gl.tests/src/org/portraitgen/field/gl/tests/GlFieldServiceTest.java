package org.portraitgen.field.gl.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bench.Scenes;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.service.GlFieldServiceRegistrar;
import org.portraitgen.field.gl.internal.service.GlGaussianFieldService;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.cnn.JavaCnn;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.TrainingFrame;

/** The DS registration: with a compute context (llvmpipe in CI) the GPU service outranks the CPU one. */
class GlFieldServiceTest {
    private static BundleContext context() {
        return FrameworkUtil.getBundle(GlGaussianFieldService.class).getBundleContext();
    }

    @Test
    void gpuServiceIsRegisteredAboveTheCpuOne() throws Exception {
        BundleContext ctx = context();
        await().atMost(Duration.ofSeconds(60)).until(() -> backends(ctx).contains("gl"));
        assertTrue(backends(ctx).contains("cpu"), "the CPU reference stays registered as the fallback");
        ServiceReference<GaussianFieldService> best = ctx.getServiceReference(GaussianFieldService.class);
        assertEquals("gl", best.getProperty("portraitgen.field.backend"));
        assertEquals(10, best.getProperty("service.ranking"));
        GaussianFieldService service = ctx.getService(best);
        try {
            assertEquals("gl", service.backend());
            // the service's rasterizer is the GPU one: its feature image matches the CPU reference
            GlGaussianFieldService gl = (GlGaussianFieldService) service;
            Gaussians g = Scenes.random(500, 4, 77);
            Camera cam = Scenes.turnedCamera(48, 32);
            float[] gpu = gl.rasterize(g, cam);
            double[] cpu;
            try (Workers w = new Workers(2)) {
                cpu = new Rasterizer(w).forward(g, cam).features;
            }
            assertTrue(Parity.relativeL2(cpu, gpu) < RasterizerParityTest.FORWARD_BOUND);
        } finally {
            ctx.ungetService(best);
        }
    }

    /** The service's render poses on the GPU (GlBinding) and matches the CPU service's render of the same field. */
    @Test
    void gpuRenderOfAFieldMatchesTheCpuRender() throws Exception {
        BundleContext ctx = context();
        await().atMost(Duration.ofSeconds(60)).until(() -> backends(ctx).contains("gl"));
        ServiceReference<GaussianFieldService> best = ctx.getServiceReference(GaussianFieldService.class);
        GlGaussianFieldService service = (GlGaussianFieldService) ctx.getService(best);
        try {
            Scenes.TrainingScene scene = Scenes.trainingScene(20, 2, 6, 8, 2, 4);
            GaussianField field = scene.field();
            FieldHandle handle = service.adopt(field);
            try {
                for (TrainingFrame f : scene.frames()) { // the second render reuses the field's GPU copy
                    FloatImage image = service.render(handle, f.state());
                    float[] cpu;
                    try (Workers w = new Workers(2); GaussianField.Frame fr = field.render(f.state(),
                            new Rasterizer(w), new JavaCnn(w))) {
                        cpu = fr.rgb();
                    }
                    double[] reference = new double[cpu.length];
                    for (int i = 0; i < cpu.length; i++) {
                        reference[i] = cpu[i];
                    }
                    double e = Parity.relativeL2(reference, image.data());
                    System.out.printf("service render (GPU posing) vs CPU, frame %d: %.1e%n", f.state().frame(), e);
                    assertTrue(e < 1e-4, "relative error " + e);
                }
                assertNull(service.fallbackReason(), "rendered on the GPU");
            } finally {
                service.release(handle);
            }
            assertThrows(IllegalArgumentException.class, () -> service.render(handle,
                    scene.frames().get(0).state()), "a released handle is gone");
        } finally {
            ctx.ungetService(best);
        }
    }

    @Test
    void withoutAContextNothingIsRegisteredAndTheReasonIsKept() throws Exception {
        BundleContext ctx = context();
        await().atMost(Duration.ofSeconds(60)).until(() -> backends(ctx).contains("gl"));
        long glBefore = backends(ctx).stream().filter("gl"::equals).count();
        GlFieldServiceRegistrar registrar = new GlFieldServiceRegistrar();
        System.setProperty(GlContext.DISABLE_PROPERTY, "true");
        try {
            registrar.openAndRegister(ctx);
        } finally {
            System.clearProperty(GlContext.DISABLE_PROPERTY);
        }
        try {
            assertNotNull(registrar.unavailableReason());
            // what `portraitgen version --gpu` prints when no context opens: the reason, and that the CPU serves
            assertFalse(registrar.available());
            assertTrue(registrar.report().contains("CPU one serves") && registrar.report().contains(
                    GlContext.DISABLE_PROPERTY), registrar.report());
            assertTrue(registrar.unavailableReason().contains(GlContext.DISABLE_PROPERTY),
                    registrar.unavailableReason());
            assertEquals(glBefore, backends(ctx).stream().filter("gl"::equals).count(),
                    "no second GPU service was registered");
        } finally {
            registrar.deactivate();
        }
    }

    @Test
    void gpuStatusReportsTheOpenedContext() {
        BundleContext ctx = context();
        ServiceReference<GpuStatus> ref = ctx.getServiceReference(GpuStatus.class);
        assertNotNull(ref, "the registrar is the GpuStatus service");
        GpuStatus status = ctx.getService(ref);
        try {
            assertTrue(status.available(), status::report);
            String report = status.report();
            System.out.println(report);
            assertTrue(report.contains("GL_RENDERER:") && report.contains("llvmpipe") && report.contains(
                    "storage block:"), report);
        } finally {
            ctx.ungetService(ref);
        }
    }

    private static java.util.List<Object> backends(BundleContext ctx) throws Exception {
        Collection<ServiceReference<GaussianFieldService>> refs = ctx.getServiceReferences(
                GaussianFieldService.class, null);
        return Arrays.asList(refs.stream().map(r -> r.getProperty("portraitgen.field.backend")).toArray());
    }
}
