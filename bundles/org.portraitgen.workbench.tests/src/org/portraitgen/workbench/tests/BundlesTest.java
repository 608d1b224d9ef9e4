package org.portraitgen.workbench.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.widgets.TableItem;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.portraitgen.api.trust.BundleTrust;
import org.portraitgen.workbench.internal.bundles.InspectionDialog;

/** Installs the example node bundle while the workbench runs, uses its node, and uninstalls it. */
class BundlesTest {
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

    static Path exampleBundleJar() throws Exception {
        Path target = Path.of(System.getProperty("portraitgen.project.root"),
                "bundles/org.portraitgen.examples.nodes/target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("org\\.portraitgen\\.examples\\.nodes-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("build the example bundle first: " + target));
        }
    }

    private boolean tableShows(String text) {
        return Arrays.stream(f.bundles.table().getItems()).map(TableItem::getText).anyMatch(t -> t.contains(text))
                || Arrays.stream(f.bundles.table().getItems()).anyMatch(i -> i.getText(4).contains(text));
    }

    @Test
    void installedBundleJoinsThePaletteAndItsNodesAreMarkedMissingWhenItLeaves() throws Exception {
        assertFalse(f.editor.palette().shownTypes().contains("example.caption"));
        Path jar = exampleBundleJar();
        boolean trusted = f.context.getService(f.context.getServiceReference(BundleTrust.class)).isTrusted(jar);
        InspectionDialog review = f.bundles.review(jar).orElseThrow();
        String report = review.report().getText();
        assertTrue(report.contains("Node types: example.caption"), report);
        assertTrue(report.contains("org.portraitgen.api.node.NodeProvider"), "the services it provides: " + report);
        assertTrue(report.matches("(?s).*Imports packages: .*org\\.portraitgen\\.api\\.node.*"), report);
        assertTrue(report.contains("unsigned"), report);
        assertEquals(trusted ? "Install" : "Trust and install", review.installButton().getText());
        assertFalse(f.editor.palette().shownTypes().contains("example.caption"), "nothing runs before the click");
        Ui.fire(review.installButton(), org.eclipse.swt.SWT.Selection);
        assertTrue(review.shell().isDisposed());
        Ui.until(() -> f.editor.palette().shownTypes().contains("example.caption"), Duration.ofSeconds(30),
                "the caption node in the palette");
        Ui.until(() -> tableShows("example.caption"), "the bundle's node type in the bundles table");
        TableItem row = Arrays.stream(f.bundles.table().getItems())
                .filter(i -> i.getText(1).equals("org.portraitgen.examples.nodes")).findFirst().orElseThrow();
        f.bundles.table().setSelection(row);
        Ui.fire(f.bundles.table(), org.eclipse.swt.SWT.Selection);
        String details = f.bundles.details().getText();
        assertTrue(details.contains("Provides services: ") && details.contains("NodeProvider"), details);
        assertTrue(details.contains("org.portraitgen.api.node ← org.portraitgen.api"), "wired imports: " + details);

        f.editor.addNode("example.caption", new Point(60, 60));
        Ui.fire(f.jobs.runButton(), org.eclipse.swt.SWT.Selection);
        Ui.until(() -> f.jobs.summary().getText().startsWith("Succeeded"), "the caption run");
        Ui.until(() -> f.editor.canvas().shapes().get("caption").thumbnail(), "a text thumbnail");
        f.studio.document().select("caption");
        Ui.flush();
        assertEquals("PortraitGen", f.viewport.caption(), "the viewport shows a text output");

        Bundle example = Arrays.stream(f.context.getBundles())
                .filter(b -> "org.portraitgen.examples.nodes".equals(b.getSymbolicName())).findFirst().orElseThrow();
        f.bundles.uninstall(example).get();
        Ui.until(() -> !f.editor.palette().shownTypes().contains("example.caption"), "the palette to drop it");
        Ui.until(() -> f.editor.canvas().shapes().get("caption").missing(), "the node to be marked missing");
        assertEquals(1, f.studio.document().graph().nodes().size(), "the graph keeps the node");
        assertTrue(f.editor.canvas().problems().get("caption").contains("org.portraitgen.examples.nodes"),
                f.editor.canvas().problems().toString());
        Ui.until(() -> !tableShows("org.portraitgen.examples.nodes"), "the table to drop the bundle");
    }
}
