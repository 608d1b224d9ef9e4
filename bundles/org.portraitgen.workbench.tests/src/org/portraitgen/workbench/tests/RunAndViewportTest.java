package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.workbench.internal.graph.GraphEdits;

/** Runs small graphs from the jobs part and looks at the results in the viewport and the canvas. */
class RunAndViewportTest {
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

    private void framesIntoGrade(double delay) {
        f.editor.addNode("test.frames", new Point(40, 60));
        f.editor.addNode("test.grade", new Point(320, 60));
        var doc = f.studio.document();
        doc.apply("connect", GraphEdits.connect(doc.graph(), f.studio.catalog()::nodeType, "frames", "frames",
                "grade", "frames").graph());
        doc.apply("delay", doc.graph().withNode(doc.graph().node("frames").get().withParameter("delay", delay)));
    }

    @Test
    void aRunShowsProgressMetricsThumbnailsAndFrames() {
        framesIntoGrade(0);
        Ui.fire(f.jobs.runButton(), SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().startsWith("Succeeded"), "the run to succeed");
        assertEquals(1000, f.jobs.rows().get("frames").bar().getSelection());
        assertTrue(f.jobs.rows().get("grade").state().getText().startsWith("succeeded"));
        Ui.until(() -> f.jobs.chart().metrics().size() == 2, "loss and PSNR plotted");
        assertTrue(f.jobs.chart().metrics().contains("frames loss"), f.jobs.chart().metrics().toString());
        assertTrue(f.jobs.runButton().getEnabled());
        assertFalse(f.jobs.cancelButton().getEnabled());

        Ui.until(() -> f.editor.canvas().shapes().get("grade").thumbnail(), "a thumbnail on the grade node");
        f.studio.document().select("grade");
        Ui.flush();
        assertNotNull(f.viewport.frames(), "the viewport shows the selected node's frames");
        assertEquals(6, f.viewport.frames().frameCount());
        assertEquals(5, f.viewport.timeline().getMaximum());
        f.viewport.timeline().setSelection(3);
        Ui.fire(f.viewport.timeline(), SWT.Selection);
        assertEquals(3, f.viewport.frame());
        assertTrue(f.viewport.position().getText().startsWith("4 / 6"), f.viewport.position().getText());
        f.viewport.setPlaying(true);
        Ui.until(() -> f.viewport.frame() != 3, "playback to advance");
        f.viewport.setPlaying(false);
    }

    @Test
    void oneNodeIsCancelledFromItsRowWhileTheRestRuns() {
        framesIntoGrade(0.3);
        f.editor.addNode("test.frames", new Point(40, 260)); // a second, independent source
        Ui.fire(f.jobs.runButton(), SWT.Selection);
        Ui.until(() -> f.jobs.rows().containsKey("frames2")
                && f.jobs.rows().get("frames").state().getText().startsWith("running"), "the run to start");
        var menu = f.jobs.rows().get("frames").bar().getMenu();
        Ui.fire(menu.getItem(0), SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().startsWith("Finished with failures"), "the run to end");
        assertTrue(f.jobs.rows().get("frames").state().getText().startsWith("cancelled"));
        assertTrue(f.jobs.rows().get("frames2").state().getText().startsWith("succeeded"),
                f.jobs.rows().get("frames2").state().getText());
    }

    @Test
    void cancelStopsARunningGraph() {
        framesIntoGrade(0.5);
        Ui.fire(f.jobs.runButton(), SWT.Selection);
        Ui.until(() -> f.jobs.rows().containsKey("frames")
                && f.jobs.rows().get("frames").state().getText().startsWith("running"), "the run to start");
        assertTrue(f.jobs.cancelButton().getEnabled());
        Ui.fire(f.jobs.cancelButton(), SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().startsWith("Finished with failures"), "the run to stop");
        assertTrue(f.jobs.rows().get("frames").state().getText().startsWith("cancelled"),
                f.jobs.rows().get("frames").state().getText());
        assertTrue(f.jobs.rows().get("grade").state().getText().matches("(skipped|cancelled).*"),
                f.jobs.rows().get("grade").state().getText());
        assertFalse(f.studio.jobs().running());
    }
}
