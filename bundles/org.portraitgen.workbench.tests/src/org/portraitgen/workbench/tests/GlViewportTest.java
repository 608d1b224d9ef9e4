package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.workbench.internal.graph.GraphEdits;
import org.portraitgen.workbench.internal.model.Settings;
import org.portraitgen.workbench.internal.viewport.Orbit;
import org.portraitgen.workbench.internal.viewport.Picture;

/**
 * The viewport's GL canvas under Xvfb (GLX on Mesa llvmpipe): what it draws is read back from the GL buffer and
 * compared with the pictures it was given: a field rendered by the real CPU field service, a mask overlay and the
 * before/after split. A display without GLX fails here rather than skipping.
 */
class GlViewportTest {
    @TempDir
    Path dir;
    WorkbenchFixture f;
    ServiceRegistration<Tracker> tracker;

    @BeforeEach
    void open() {
        f = new WorkbenchFixture(dir);
        f.register(new ViewportNodes.Matte());
        f.register(new ViewportNodes.Invert());
        f.register(new ViewportNodes.Tracking());
        f.register(new ViewportNodes.Lift());
        tracker = f.context.registerService(Tracker.class, new ViewportNodes.GridTracker(), null);
        Ui.until(() -> f.studio.catalog().nodeType("test.lift").isPresent(), "the viewport test node types");
    }

    @AfterEach
    void close() {
        f.close();
        tracker.unregister();
    }

    private void connect(String from, String fromPort, String to, String toPort) {
        var doc = f.studio.document();
        doc.apply("connect", GraphEdits.connect(doc.graph(), f.studio.catalog()::nodeType, from, fromPort, to,
                toPort).graph());
    }

    private void runGraph() {
        Ui.fire(f.jobs.runButton(), SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().startsWith("Succeeded"), Duration.ofSeconds(60), "the run");
    }

    private static int[] rgb(Picture p, int x, int y) {
        int o = 4 * (y * p.width() + x);
        return new int[] {p.rgba()[o] & 255, p.rgba()[o + 1] & 255, p.rgba()[o + 2] & 255};
    }

    private static void assertNear(int[] expected, int[] actual, int tolerance, String what) {
        for (int c = 0; c < 3; c++) {
            assertTrue(Math.abs(expected[c] - actual[c]) <= tolerance, what + ": expected " + java.util.Arrays
                    .toString(expected) + " ± " + tolerance + ", read " + java.util.Arrays.toString(actual));
        }
    }

    private void useGpu(boolean on) {
        var s = f.studio.settings();
        f.studio.apply(new Settings(s.cacheFolder(), s.isolation(), s.nodeTimeoutSeconds(), s.modelFolder(), on));
    }

    private void liftAField() {
        f.editor.addNode("test.tracking", new Point(40, 60));
        f.editor.addNode("test.lift", new Point(320, 60));
        connect("tracking", "tracking", "lift", "tracking");
        runGraph();
    }

    @Test
    void theGpuServiceRendersWhatTheCpuOneDoesAndThePreferenceChoosesBetweenThem() throws Exception {
        // org.portraitgen.field.gl opens its EGL context in the background and registers only if it worked; on
        // llvmpipe it must: a missing context fails here
        Ui.until(() -> {
            try {
                return f.context.getServiceReferences(GaussianFieldService.class,
                        "(portraitgen.field.backend=gl)").size() == 1;
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        }, Duration.ofSeconds(60), "the GL field service");
        liftAField();
        useGpu(true);
        f.studio.document().select("lift");
        Ui.until(() -> f.viewport.lastRender() != null, Duration.ofSeconds(60), "the first render");
        assertEquals("gl", f.viewport.lastRender().backend(), "the GPU service ranks first");
        FloatImage gpu = f.viewport.lastRender().image();
        Ui.until(() -> f.viewport.surfaceControl().isVisible(), "the GL canvas in front of the caption");
        Ui.flush();
        Picture screen = f.viewport.readBack().orElseThrow(); // the GL canvas beside the EGL compute context
        Picture rendered = Picture.of(gpu);
        int[] fit = rendered.fitIn(screen.width(), screen.height());
        assertNear(rgb(rendered, rendered.width() / 2, rendered.height() / 2),
                rgb(screen, fit[0] + fit[2] / 2, fit[1] + fit[3] / 2), 10, "the GPU render on screen");

        useGpu(false);
        f.viewport.setOrbit(Orbit.TRACKED);
        Ui.until(() -> "cpu".equals(f.viewport.lastRender().backend()), Duration.ofSeconds(60), "the CPU render");
        FloatImage cpu = f.viewport.lastRender().image();
        double maxDiff = 0;
        for (int i = 0; i < cpu.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(cpu.data()[i] - gpu.data()[i]));
        }
        System.out.println("viewport: GPU vs CPU render of one pose, largest difference " + maxDiff);
        // the field bundles check rasterizer parity to 1e-7 relative L2; the same ONNX CNN runs after both
        assertTrue(maxDiff < 1e-4, "GPU and CPU renders of one pose differ by " + maxDiff);
    }

    @Test
    void theFieldIsRenderedLiveFromAFramesPoseAndOrbits() {
        useGpu(false);
        liftAField();
        f.studio.document().select("lift");
        Ui.until(() -> f.viewport.lastRender() != null, Duration.ofSeconds(60), "the field's first render");
        Ui.until(() -> f.viewport.surfaceControl().isVisible(), "the GL canvas in front of the caption");
        Ui.flush(); // the canvas's X window is mapped only now: GL reads nothing back from an unmapped one
        assertTrue(f.viewport.surfaceDescription().startsWith("OpenGL"), f.viewport.surfaceDescription());
        assertEquals(ViewportNodes.GridRig.FRAMES - 1, f.viewport.timeline().getMaximum(), "one step per pose");
        assertEquals("cpu", f.viewport.lastRender().backend());
        FloatImage first = f.viewport.lastRender().image();
        assertEquals(256, first.width(), "renders at the viewport's long side");

        Picture screen = f.viewport.readBack().orElseThrow();
        Picture rendered = Picture.of(first);
        int[] fit = rendered.fitIn(screen.width(), screen.height());
        for (int i = 1; i < 8; i++) { // a diagonal of the fitted picture, away from its edges
            int sx = fit[0] + fit[2] * i / 8;
            int sy = fit[1] + fit[3] * i / 8;
            int[] expected = rgb(rendered, rendered.width() * i / 8, rendered.height() * i / 8);
            assertNear(expected, rgb(screen, sx, sy), 10, "screen pixel " + sx + "," + sy);
        }
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float v : first.data()) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertTrue(hi - lo > 0.05, "the field's render has structure, not one flat colour: " + lo + ".." + hi);
        if (fit[0] > 2) {
            assertNear(new int[] {18, 18, 20}, rgb(screen, 1, screen.height() / 2), 1, "the margin");
        }

        f.viewport.setOrbit(Orbit.TRACKED.turned(35, 10).zoomed(1.3));
        Ui.until(() -> f.viewport.lastRender().orbit().yawDegrees() == 35, Duration.ofSeconds(60), "the orbit");
        FloatImage turned = f.viewport.lastRender().image();
        double maxDiff = 0;
        for (int i = 0; i < first.data().length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(first.data()[i] - turned.data()[i]));
        }
        assertTrue(maxDiff > 0.02, "orbiting changes the picture: largest difference " + maxDiff);
        assertTrue(f.viewport.status().getText().contains("yaw 35°"), f.viewport.status().getText());

        f.viewport.timeline().setSelection(2);
        Ui.fire(f.viewport.timeline(), SWT.Selection);
        Ui.until(() -> f.viewport.lastRender().frame() == 2, Duration.ofSeconds(60), "frame 3's pose");
        Ui.fire(f.viewport.surfaceControl(), SWT.MouseDoubleClick);
        assertEquals(Orbit.TRACKED, f.viewport.orbit(), "double-click goes back to the tracked camera");

        var surface = f.viewport.surfaceControl();
        Ui.mouse(surface, SWT.MouseDown, 100, 100);
        Ui.mouse(surface, SWT.MouseMove, 150, 100);
        assertEquals(20, f.viewport.orbit().yawDegrees(), 1e-9, "dragging 50 px right turns 20°");
        Ui.mouse(surface, SWT.MouseUp, 150, 100);
        org.eclipse.swt.widgets.Event wheel = new org.eclipse.swt.widgets.Event();
        wheel.count = 3;
        surface.notifyListeners(SWT.MouseVerticalWheel, wheel);
        assertEquals(1.1, f.viewport.orbit().zoom(), 1e-9, "a wheel step zooms by 10 %");
        Ui.until(() -> f.viewport.lastRender().orbit().zoom() == 1.1 && f.viewport.lastRender().image().width() == 256,
                Duration.ofSeconds(60), "the full-size render once the mouse rests");
    }

    @Test
    void masksOverlayTheFramesAndTheSplitShowsBeforeAndAfter() {
        f.editor.addNode("test.frames", new Point(40, 60));
        f.editor.addNode("test.matte", new Point(320, 60));
        f.editor.addNode("test.invert", new Point(320, 260));
        connect("frames", "frames", "matte", "frames");
        connect("frames", "frames", "invert", "frames");
        runGraph();

        f.studio.document().select("matte");
        Ui.flush();
        assertTrue(f.viewport.maskButton().getSelection(), "a matte's own masks are overlaid at once");
        Picture screen = f.viewport.readBack().orElseThrow();
        int[] fit = new Picture(160, 120, new byte[4 * 160 * 120]).fitIn(screen.width(), screen.height());
        int cx = fit[0] + fit[2] / 2;
        int cy = fit[1] + fit[3] / 2;
        int[] inside = rgb(screen, cx, cy);
        int[] outside = rgb(screen, fit[0] + fit[2] / 20, cy);
        f.viewport.maskButton().setSelection(false);
        Ui.fire(f.viewport.maskButton(), SWT.Selection);
        Picture bare = f.viewport.readBack().orElseThrow();
        assertNear(rgb(bare, fit[0] + fit[2] / 20, cy), outside, 1, "outside the mask nothing is blended");
        int[] under = rgb(bare, cx, cy);
        int[] tint = {255, 64, 96}; // inside, the frame moves 45 % of the way to the overlay colour
        int[] expected = new int[3];
        for (int c = 0; c < 3; c++) {
            expected[c] = (int) Math.round(under[c] + 0.45 * (tint[c] - under[c]));
        }
        assertNear(expected, inside, 3, "inside the mask");

        f.studio.document().select("invert");
        Ui.flush();
        assertFalse(f.viewport.splitButton().getSelection());
        assertTrue(f.viewport.splitButton().getEnabled(), "the invert has frames upstream to compare with");
        Picture after = f.viewport.readBack().orElseThrow();
        f.viewport.splitButton().setSelection(true);
        Ui.fire(f.viewport.splitButton(), SWT.Selection);
        f.viewport.setSplit(0.5);
        Picture split = f.viewport.readBack().orElseThrow();
        int left = fit[0] + fit[2] / 4;
        int right = fit[0] + 3 * fit[2] / 4;
        int[] afterLeft = rgb(after, left, cy);
        int[] beforeLeft = {255 - afterLeft[0], 255 - afterLeft[1], 255 - afterLeft[2]};
        assertNear(beforeLeft, rgb(split, left, cy), 2, "left of the line: the frames before the invert");
        assertNear(rgb(after, right, cy), rgb(split, right, cy), 1, "right of the line: the node's output");
        assertTrue(f.viewport.status().getText().contains("before | after"), f.viewport.status().getText());
    }
}
