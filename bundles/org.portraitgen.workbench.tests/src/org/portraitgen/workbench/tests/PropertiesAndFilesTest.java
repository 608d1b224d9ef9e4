package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.graph.Graph;
import org.portraitgen.workbench.internal.graph.GraphEdits;

/** The properties part's generated widgets, and saving and reopening what they set. */
class PropertiesAndFilesTest {
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
    void widgetsFollowTheParameterSchemaAndEditTheNode() {
        f.editor.addNode("test.frames", new Point(40, 40));
        Ui.flush();
        var editors = f.properties.editors();
        Spinner count = assertInstanceOf(Spinner.class, editors.get("count"));
        assertEquals(1, count.getMinimum());
        assertEquals(100, count.getMaximum());
        assertEquals(6, count.getSelection(), "the default shows when the graph leaves it out");
        assertInstanceOf(Combo.class, editors.get("pattern"));
        Spinner delay = assertInstanceOf(Spinner.class, editors.get("delay"));
        assertEquals(3, delay.getDigits());
        assertTrue((assertInstanceOf(Text.class, editors.get("prompt")).getStyle() & SWT.MULTI) != 0);
        Composite tint = assertInstanceOf(Composite.class, editors.get("tint"));
        assertEquals(new org.eclipse.swt.graphics.RGB(0x30, 0x80, 0xff),
                assertInstanceOf(org.eclipse.swt.widgets.Label.class, tint.getChildren()[0]).getBackground().getRGB(),
                "the swatch shows the colour");
        assertInstanceOf(Button.class, tint.getChildren()[2], "a colour chooser button");

        count.setSelection(12);
        Ui.fire(count, SWT.Selection);
        assertEquals(12, f.studio.document().graph().node("frames").get().parameters().get("count"));
        assertTrue(count == f.properties.editors().get("count"), "its own edit does not rebuild the form");
        Combo pattern = (Combo) f.properties.editors().get("pattern");
        pattern.select(1);
        Ui.fire(pattern, SWT.Selection);
        Text prompt = (Text) f.properties.editors().get("prompt");
        prompt.setText("a smiling portrait\nwarm light");
        Ui.fire(prompt, SWT.FocusOut);
        var params = f.studio.document().graph().node("frames").get().parameters();
        assertEquals("solid", params.get("pattern"));
        assertEquals("a smiling portrait\nwarm light", params.get("prompt"));

        f.studio.document().undo();
        Ui.flush();
        assertEquals("a portrait", ((Text) f.properties.editors().get("prompt")).getText(),
                "undo from elsewhere refreshes the form");
    }

    @Test
    void savedGraphsReopenWithTheirNodesEdgesAndValues() throws Exception {
        f.editor.addNode("test.frames", new Point(40, 60));
        f.editor.addNode("test.grade", new Point(320, 60));
        Graph g = f.studio.document().graph();
        f.studio.document().apply("connect", GraphEdits.connect(g, f.studio.catalog()::nodeType, "frames", "frames",
                "grade", "frames").graph());
        f.studio.document().apply("set", f.studio.document().graph().withNode(
                f.studio.document().graph().node("grade").get().withParameter("gain", 2.5)));
        assertTrue(f.studio.document().dirty());
        Path file = dir.resolve("graphs/portrait.json");
        Files.createDirectories(file.getParent());
        assertTrue(f.files.saveTo(file));
        assertFalse(f.studio.document().dirty());
        assertTrue(Files.readString(file).contains("\"gain\""));
        Graph saved = f.studio.document().graph();

        f.studio.document().load(org.portraitgen.workbench.internal.model.GraphDocument.empty(), null);
        assertTrue(f.files.open(file));
        Graph reopened = f.studio.document().graph();
        assertEquals(saved.edges(), reopened.edges());
        assertEquals(2.5, ((Number) reopened.node("grade").get().parameters().get("gain")).doubleValue());
        assertEquals(saved.node("grade").get().x(), reopened.node("grade").get().x());
        assertEquals(file.toAbsolutePath(), f.studio.recent().list().get(0));
        assertEquals("portrait.json", f.studio.document().title());
    }

    @Test
    void aFileTheArtistNamesOutsideTheProjectIsAllowedOneFromAnOpenedGraphIsNot() throws Exception {
        f.editor.addNode("test.grade", new Point(40, 40));
        Ui.flush();
        Path elsewhere = Files.createTempDirectory("portraitgen-elsewhere").resolve("report.txt");
        // as a graph from disk would carry it: outside the project folder and never named by the artist
        f.studio.document().apply("set", f.studio.document().graph().withNode(
                f.studio.document().graph().node("grade").get().withParameter("report", elsewhere.toString())));
        assertTrue(f.studio.validate(f.studio.document().graph()).stream()
                .anyMatch(p -> "grade".equals(p.nodeId()) && p.message().contains("report")),
                "a path outside the project folder is refused on its node");

        Ui.flush();
        Text report = assertInstanceOf(Text.class,
                ((Composite) f.properties.editors().get("report")).getChildren()[0]);
        report.setText(elsewhere.resolveSibling("report2.txt").toString());
        Ui.fire(report, SWT.FocusOut);
        assertEquals(elsewhere.resolveSibling("report2.txt").toString(),
                f.studio.document().graph().node("grade").get().parameters().get("report"));
        assertTrue(f.studio.validate(f.studio.document().graph()).stream()
                .noneMatch(p -> "grade".equals(p.nodeId()) && p.message().contains("report")),
                "the folder of a file typed in the properties view is allowed: "
                        + f.studio.validate(f.studio.document().graph()));
        assertTrue(f.studio.allowedRoots().contains(elsewhere.getParent().toAbsolutePath().normalize()));
    }
}
