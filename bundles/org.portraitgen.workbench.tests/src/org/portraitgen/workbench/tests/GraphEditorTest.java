package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.TreeItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.workbench.internal.graph.GraphCanvas;
import org.portraitgen.workbench.internal.graph.NodeShape;

/** Drives the palette and the graph canvas with real SWT events. */
class GraphEditorTest {
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

    private GraphCanvas canvas() {
        return f.editor.canvas();
    }

    private Point port(String node, String port, boolean output) {
        NodeShape s = canvas().shapes().get(node);
        return canvas().toCanvas((output ? s.output(port) : s.input(port)).orElseThrow().centre());
    }

    private void drag(Point from, Point to) {
        Ui.mouse(canvas().control(), SWT.MouseDown, from.x, from.y);
        Ui.mouse(canvas().control(), SWT.MouseMove, (from.x + to.x) / 2, (from.y + to.y) / 2);
        Ui.mouse(canvas().control(), SWT.MouseMove, to.x, to.y);
        Ui.mouse(canvas().control(), SWT.MouseUp, to.x, to.y);
        Ui.flush();
    }

    private void doubleClickPalette(String type) {
        for (TreeItem group : f.editor.palette().tree().getItems()) {
            for (TreeItem item : group.getItems()) {
                if (type.equals(item.getData())) {
                    Event e = new Event();
                    e.item = item;
                    f.editor.palette().tree().notifyListeners(SWT.DefaultSelection, e);
                    return;
                }
            }
        }
        throw new AssertionError(type + " is not in the palette: " + f.editor.palette().shownTypes());
    }

    @Test
    void paletteGroupsSearchesAndFollowsProvidersComingAndGoing() {
        assertTrue(f.editor.palette().shownTypes().containsAll(java.util.List.of("test.frames", "test.grade",
                "test.masksink")), f.editor.palette().shownTypes().toString());
        assertTrue(java.util.Arrays.stream(f.editor.palette().tree().getItems())
                .anyMatch(i -> i.getText().startsWith("Test filters (2)")));
        f.editor.palette().search().setText("masksink");
        assertEquals(java.util.List.of("test.masksink"), f.editor.palette().shownTypes());
        f.editor.palette().search().setText("");

        ServiceRegistration<NodeProvider> late = f.register(new TestNodes.Late());
        Ui.until(() -> f.editor.palette().shownTypes().contains("test.late"), "the late type in the palette");
        late.unregister();
        Ui.until(() -> !f.editor.palette().shownTypes().contains("test.late"), "the late type to leave");
    }

    @Test
    void nodesAreAddedMovedConnectedByDraggingAndUndone() {
        doubleClickPalette("test.frames");
        var frames = f.studio.document().graph().node("frames").orElseThrow();
        int x = (int) frames.x() + 260;
        int y = (int) frames.y();
        assertTrue(f.editor.addNode("test.grade", new Point(x, y)).isPresent());
        assertTrue(f.editor.addNode("test.masksink", new Point(x, y + 170)).isPresent());
        Ui.flush();
        assertEquals(3, f.studio.document().graph().nodes().size());
        assertTrue(canvas().problems().get("grade").contains("frames"), "unconnected input is reported: "
                + canvas().problems());

        drag(port("frames", "frames", true), port("grade", "frames", false));
        assertEquals(1, f.studio.document().graph().edges().size());
        assertFalse(canvas().problems().containsKey("grade"), canvas().problems().toString());

        drag(port("frames", "frames", true), port("masksink", "masks", false));
        assertEquals(1, f.studio.document().graph().edges().size(), "frames must not connect to masks");
        assertTrue(f.editor.status().getText().startsWith("Cannot connect")
                && f.editor.status().getText().contains("takes masks"), f.editor.status().getText());

        NodeShape grade = canvas().shapes().get("grade");
        Point title = canvas().toCanvas(new Point(grade.bounds().x + 60, grade.bounds().y + 10));
        drag(title, new Point(title.x + 50, title.y + 30));
        assertEquals(grade.node().x() + 50 / canvas().zoom(), f.studio.document().graph().node("grade").get().x(),
                1.0);
        assertEquals("grade", f.studio.document().selectedNode().get().id());

        assertTrue(f.studio.document().undo()); // the move
        assertTrue(f.studio.document().undo()); // the connection
        assertTrue(f.studio.document().graph().edges().isEmpty());
        assertTrue(f.studio.document().redo());
        assertEquals(1, f.studio.document().graph().edges().size());
    }

    @Test
    void copyPasteDeleteAndZoom() {
        f.editor.addNode("test.frames", new Point(40, 40));
        f.editor.copy();
        f.editor.paste();
        f.editor.paste();
        assertEquals(java.util.List.of("frames", "frames2", "frames3"),
                f.studio.document().graph().nodes().stream().map(n -> n.id()).toList());
        canvas().deleteSelection();
        assertEquals(2, f.studio.document().graph().nodes().size());

        double before = canvas().zoom();
        Event wheel = new Event();
        wheel.count = 3;
        wheel.x = 200;
        wheel.y = 200;
        canvas().control().notifyListeners(SWT.MouseVerticalWheel, wheel);
        assertTrue(canvas().zoom() > before);
        Point fixed = canvas().toGraph(200, 200);
        canvas().zoomAt(1.5, new Point(200, 200));
        assertEquals(fixed, canvas().toGraph(200, 200), "zoom keeps the point under the mouse");
    }

    @Test
    void invalidNodesCarryTheValidationMessageAsTooltip() {
        f.editor.addNode("test.grade", new Point(40, 40));
        Ui.flush();
        NodeShape s = canvas().shapes().get("grade");
        Point inside = canvas().toCanvas(new Point(s.bounds().x + 90, s.bounds().y + s.bounds().height - 4));
        Event move = new Event();
        move.x = inside.x;
        move.y = inside.y;
        canvas().control().notifyListeners(SWT.MouseMove, move);
        assertEquals(canvas().problems().get("grade"), canvas().control().getToolTipText());
        assertTrue(canvas().control().getToolTipText().contains("frames"));
    }
}
