package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.workbench.internal.e4.ShellCapture;
import org.portraitgen.workbench.internal.graph.GraphEdits;

/**
 * Captures the workbench with a graph loaded, a running job and the viewport, for people to look at
 * ({@code screenshots/} at the project root; not committed).
 */
class ScreenshotTest {
    @TempDir
    Path dir;
    WorkbenchFixture f;

    @BeforeEach
    void open() {
        f = new WorkbenchFixture(dir);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void graphRunningJobAndViewport() throws Exception {
        Path out = Path.of(System.getProperty("portraitgen.project.root"), "screenshots");
        f.editor.addNode("test.frames", new Point(20, 40));
        f.editor.addNode("test.grade", new Point(260, 20));
        f.editor.addNode("test.grade", new Point(260, 170));
        f.editor.addNode("test.masksink", new Point(40, 260));
        var doc = f.studio.document();
        doc.apply("connect", GraphEdits.connect(doc.graph(), f.studio.catalog()::nodeType, "frames", "frames",
                "grade", "frames").graph());
        doc.apply("connect", GraphEdits.connect(doc.graph(), f.studio.catalog()::nodeType, "frames", "frames",
                "grade2", "frames").graph());
        doc.apply("slow", doc.graph().withNode(doc.graph().node("frames").get().withParameter("delay", 0.4)
                .withParameter("count", 12)));
        doc.select("frames");
        Ui.flush();
        capture(out.resolve("workbench-graph.png"));
        doc.apply("drop invalid", GraphEdits.removeNode(doc.graph(), "masksink")); // an invalid graph does not run

        Ui.fire(f.jobs.runButton(), SWT.Selection);
        Ui.until(() -> f.jobs.rows().containsKey("frames") && f.jobs.rows().get("frames").bar().getSelection() > 300,
                "the job to be under way");
        capture(out.resolve("workbench-running.png"));
        Ui.until(() -> f.jobs.summary().getText().startsWith("Succeeded"), "the run to succeed");
        doc.select("grade");
        Ui.until(() -> f.viewport.frames() != null, "frames in the viewport");
        f.viewport.timeline().setSelection(5);
        Ui.fire(f.viewport.timeline(), SWT.Selection);
        capture(out.resolve("workbench-viewport.png"));
        assertTrue(Files.size(out.resolve("workbench-viewport.png")) > 10_000);
    }

    @Test
    void fieldViewportWithOrbitAndBeforeAfterSplit() throws Exception {
        Path out = Path.of(System.getProperty("portraitgen.project.root"), "screenshots");
        f.register(new ViewportNodes.Tracking());
        f.register(new ViewportNodes.Lift());
        f.register(new ViewportNodes.Invert());
        f.register(new ViewportNodes.Matte());
        var tracker = f.context.registerService(org.portraitgen.api.tracking.Tracker.class,
                new ViewportNodes.GridTracker(), null);
        try {
            Ui.until(() -> f.studio.catalog().nodeType("test.lift").isPresent(), "the test node types");
            f.editor.addNode("test.frames", new Point(20, 30));
            f.editor.addNode("test.invert", new Point(270, 20));
            f.editor.addNode("test.matte", new Point(270, 150));
            f.editor.addNode("test.tracking", new Point(20, 280));
            f.editor.addNode("test.lift", new Point(270, 280));
            var doc = f.studio.document();
            for (String[] e : new String[][] {{"frames", "frames", "invert", "frames"},
                    {"frames", "frames", "matte", "frames"}, {"tracking", "tracking", "lift", "tracking"}}) {
                doc.apply("connect", GraphEdits.connect(doc.graph(), f.studio.catalog()::nodeType, e[0], e[1], e[2],
                        e[3]).graph());
            }
            Ui.fire(f.jobs.runButton(), SWT.Selection);
            Ui.until(() -> f.jobs.summary().getText().startsWith("Succeeded"), java.time.Duration.ofSeconds(60),
                    "the run");
            doc.select("lift");
            f.viewport.setOrbit(org.portraitgen.workbench.internal.viewport.Orbit.TRACKED.turned(25, -10));
            Ui.until(() -> f.viewport.lastRender() != null && f.viewport.lastRender().orbit().yawDegrees() == 25,
                    java.time.Duration.ofSeconds(60), "the orbited field render");
            capture(out.resolve("workbench-field.png"));
            doc.select("invert");
            Ui.flush();
            f.viewport.splitButton().setSelection(true);
            Ui.fire(f.viewport.splitButton(), SWT.Selection);
            f.viewport.setSplit(0.4);
            capture(out.resolve("workbench-split.png"));
            doc.select("matte");
            capture(out.resolve("workbench-mask.png"));
        } finally {
            tracker.unregister();
        }
    }

    private void capture(Path png) {
        // GTK paints on its frame clock, after the widget state changed: give it a moment
        long until = System.nanoTime() + 500_000_000L;
        Ui.until(() -> System.nanoTime() > until, "paints to settle");
        ShellCapture.save(f.shell, png);
    }
}
