package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the installed workbench ({@code portraitgen workbench GRAPH}) as an artist would: the e4 application model
 * loads, the window comes up with the graph, a screenshot is taken and the workbench closes, saving its layout; a
 * second start restores that layout. Needs a display: releng/test.sh runs under xvfb-run.
 */
class WorkbenchProductTest {

    @TempDir
    Path dir;

    private Product.Result startAndClose(Path shot) throws Exception {
        return Product.run(dir, Map.of("XDG_STATE_HOME", dir.resolve("state").toString(),
                "XDG_CACHE_HOME", dir.resolve("cache").toString(),
                "PORTRAITGEN_DROPINS", dir.resolve("dropins").toString(),
                "PORTRAITGEN_JVM_OPTS", "-Xmx1g -Dportraitgen.screenshot=" + shot
                        + " -Dportraitgen.screenshot.exit=true -Dportraitgen.screenshot.delay=1000"),
                "workbench", Product.projectRoot().resolve("graphs/default.json").toString());
    }

    @Test
    void opensAGraphInTheE4WindowAndKeepsItsLayout() throws Exception {
        assertNotNull(System.getenv("DISPLAY"), "the workbench needs a display: run under xvfb-run");
        Product.Result first = startAndClose(dir.resolve("first.png"));
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().contains("usable window after"), first::toString);
        assertTrue(Files.size(dir.resolve("first.png")) > 10_000, "the screenshot shows a window");
        Path workbench = dir.resolve("state/portraitgen/workbench/.metadata");
        assertTrue(Files.isRegularFile(workbench.resolve(".plugins/org.eclipse.e4.workbench/workbench.xmi")),
                "the window layout is persisted");
        assertTrue(Files.readString(dir.resolve("state/portraitgen/recent-graphs.txt")).contains("default.json"));

        Product.Result second = startAndClose(dir.resolve("second.png"));
        assertEquals(0, second.exitCode(), second::toString);
        String log = Files.readString(workbench.resolve(".log"));
        assertTrue(!log.contains("!ENTRY org.eclipse.e4.ui.workbench 4"), "no workbench errors:\n" + log);
    }
}
