package org.portraitgen.cli.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.cli.internal.Cli;
import org.portraitgen.cli.internal.CliEnvironment;

/**
 * Drives the real command line inside the framework, with Felix File Install watching a dropins folder as it does
 * in the product. The example node bundle is built by the reactor before this one.
 */
class CliTest {

    @TempDir
    Path dir;
    final BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
    StringWriter out;
    StringWriter err;

    @BeforeEach
    void streams() throws Exception {
        out = new StringWriter();
        err = new StringWriter();
        Files.createDirectories(dropins());
    }

    @AfterEach
    void cleanDropins() throws Exception {
        try (var files = Files.list(dropins())) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> !nodesListing().contains("example.caption"));
    }

    private Path dropins() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Cli.execute(new CliEnvironment(context, new PrintWriter(out, true), new PrintWriter(err, true), dir,
                false), args);
    }

    private String nodesListing() {
        StringWriter o = new StringWriter();
        Cli.execute(new CliEnvironment(context, new PrintWriter(o, true), new PrintWriter(new StringWriter()), dir,
                false), "nodes", "--brief");
        return o.toString();
    }

    static Path exampleBundleJar() throws Exception {
        Path root = Path.of(System.getProperty("portraitgen.project.root"));
        Path target = root.resolve("bundles/org.portraitgen.examples.nodes/target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("org\\.portraitgen\\.examples\\.nodes-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("the reactor did not build the example "
                            + "bundle into " + target));
        }
    }

    private Path captionGraph() throws Exception {
        return Files.writeString(dir.resolve("caption.json"), """
                {"schemaVersion": 1, "name": "caption",
                 "nodes": [{"id": "cap", "type": "example.caption", "parameters": {"text": "hi", "repeat": 3}}],
                 "edges": []}
                """);
    }

    @Test
    void versionAndHelp() {
        assertEquals(Cli.OK, cli("version"));
        assertTrue(out.toString().contains("PortraitGen Studio 0.1.0"), out.toString());
        assertEquals(Cli.OK, cli("--help"));
        assertTrue(out.toString().contains("run") && out.toString().contains("bundles"), out.toString());
        assertEquals(Cli.INVALID, cli("no-such-command"));
    }

    /** The GPU bundle runs in this test runtime (Require-Bundle), with Mesa llvmpipe (GL) and lavapipe (Vulkan). */
    @Test
    void versionGpuPrintsTheCapabilityReport() {
        int rc = cli("version", "--gpu");
        String o = out.toString();
        assertEquals(Cli.OK, rc, o);
        assertTrue(o.contains("PortraitGen Studio") && o.contains("GPU field service: active") && o.contains(
                "GL_RENDERER:") && o.contains("GL_VERSION:") && o.contains("extensions:") && o.contains(
                        "storage block:"), o);
        // the Vulkan lines (lavapipe here): device, cooperative matrices, and which CNN renders
        assertTrue(o.contains("Vulkan device:") && o.contains("VK_KHR_cooperative_matrix:") && o.contains(
                "render CNN:"), o);
    }

    @Test
    void bundleInstalledByCommandAddsItsNodeTypeAndLeavesCleanly() throws Exception {
        assertFalse(nodesListing().contains("example.caption"));
        assertEquals(Cli.OK, cli("bundles", "install", exampleBundleJar().toString(), "--trust"), err::toString);
        assertTrue(out.toString().contains("example.caption"), out.toString());
        assertTrue(nodesListing().contains("example.caption"));

        Path graph = captionGraph();
        assertEquals(Cli.OK, cli("run", graph.toString(), "--cache", dir.resolve("cache").toString()),
                err::toString);
        assertTrue(out.toString().contains("1 node(s) executed"), out.toString());
        assertEquals(Cli.OK, cli("run", graph.toString(), "--cache", dir.resolve("cache").toString()));
        assertTrue(out.toString().contains("0 node(s) executed, 1 from cache"), out.toString());

        assertEquals(Cli.OK, cli("bundles", "list", "--ours"));
        assertTrue(out.toString().contains("org.portraitgen.examples.nodes") && out.toString().contains("[dropins]"),
                out.toString());
        assertEquals(Cli.OK, cli("bundles", "uninstall", "org.portraitgen.examples.nodes"), err::toString);
        assertFalse(nodesListing().contains("example.caption"));
        assertEquals(Cli.INVALID, cli("validate", graph.toString()));
        assertTrue(err.toString().contains("'cap'") && err.toString().contains("org.portraitgen.examples.nodes"),
                err.toString());
        assertEquals(Cli.INVALID, cli("run", graph.toString(), "--cache", dir.resolve("cache").toString()));
    }

    @Test
    void jarCopiedIntoDropinsAppearsAndDisappearsWithoutRestart() throws Exception {
        assertEquals(Cli.OK, cli("bundles", "trust", exampleBundleJar().toString()), err::toString);
        Path copy = Files.copy(exampleBundleJar(), dropins().resolve("example.jar"));
        await().atMost(Duration.ofSeconds(20)).until(() -> nodesListing().contains("example.caption"));
        Files.delete(copy);
        await().atMost(Duration.ofSeconds(20)).until(() -> !nodesListing().contains("example.caption"));
    }

    @Test
    void invalidInputsGiveExitCodeTwoWithTheCulpritNamed() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.json"), "{\"schemaVersion\": 1, \"nodes\": [ {\"id\": ");
        assertEquals(Cli.INVALID, cli("validate", bad.toString()));
        assertTrue(err.toString().contains("bad.json") && err.toString().contains("line"), err.toString());
        Path unknown = Files.writeString(dir.resolve("unknown.json"),
                "{\"schemaVersion\": 1, \"nodes\": [{\"id\": \"x\", \"type\": \"nope.nothing\"}]}");
        assertEquals(Cli.INVALID, cli("run", unknown.toString(), "--cache", dir.resolve("c").toString()));
        assertTrue(err.toString().contains("'x'") && err.toString().contains("nope.nothing"), err.toString());
        assertEquals(Cli.INVALID, cli("run", unknown.toString(), "--set", "y.z=1"));
        assertTrue(err.toString().contains("no node 'y'"), err.toString());
        assertEquals(Cli.INVALID, cli("bundles", "install", unknown.toString()));
        assertTrue(err.toString().contains("not a readable jar") || err.toString().contains("not an OSGi bundle"),
                err.toString());
    }

    @Test
    void setOverridesAreValidated() throws Exception {
        assertEquals(Cli.OK, cli("bundles", "install", exampleBundleJar().toString(), "--trust"), err::toString);
        Path graph = captionGraph();
        assertEquals(Cli.INVALID, cli("validate", graph.toString(), "--set", "cap.repeat=500"));
        assertTrue(err.toString().contains("'repeat'") && err.toString().contains("500"), err.toString());
        assertEquals(Cli.OK, cli("validate", graph.toString(), "--set", "cap.repeat=5"), err::toString);
    }
}
