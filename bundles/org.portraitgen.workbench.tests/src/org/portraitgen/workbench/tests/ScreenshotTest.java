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

    private void capture(Path png) {
        // GTK paints on its frame clock, after the widget state changed: give it a moment
        long until = System.nanoTime() + 500_000_000L;
        Ui.until(() -> System.nanoTime() > until, "paints to settle");
        ShellCapture.save(f.shell, png);
    }
}
