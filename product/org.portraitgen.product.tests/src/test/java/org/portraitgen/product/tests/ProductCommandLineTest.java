package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProductCommandLineTest {

    @TempDir
    Path dir;

    @Test
    void versionRunsInTheInstalledProduct() throws Exception {
        Product.Result r = Product.run(dir, Map.of(), "version");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().contains("PortraitGen Studio") && r.out().contains("Java"), r::toString);
    }

    @Test
    void invalidGraphExitsWithTwoAndNamesTheNode() throws Exception {
        Files.writeString(dir.resolve("g.json"), """
                {"schemaVersion": 1, "nodes": [{"id": "mystery", "type": "no.such.type"}], "edges": []}
                """);
        Product.Result r = Product.run(dir, Map.of("PORTRAITGEN_CACHE", dir.resolve("cache").toString()), "run",
                "g.json");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("'mystery'") && r.err().contains("no.such.type"), r::toString);
    }

    @Test
    void bundleDroppedIntoDropinsAddsItsNodeType() throws Exception {
        Path dropins = Files.createDirectories(dir.resolve("dropins"));
        Map<String, String> env = Map.of("PORTRAITGEN_DROPINS", dropins.toString(), "PORTRAITGEN_TRUST_DIR",
                dir.resolve("trust").toString());
        assertFalse(Product.run(dir, env, "nodes", "--brief").out().contains("example.caption"));
        Path jar;
        try (var files = Files.list(Product.projectRoot().resolve("bundles/org.portraitgen.examples.nodes/target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Product.Result refused = Product.run(dir, env, "bundles", "install", jar.toString());
        assertEquals(2, refused.exitCode(), "an unsigned bundle needs explicit trust: " + refused);
        Product.Result install = Product.run(dir, env, "bundles", "install", jar.toString(), "--trust");
        assertEquals(0, install.exitCode(), install::toString);
        Product.Result nodes = Product.run(dir, env, "nodes", "--brief");
        assertTrue(nodes.out().contains("example.caption"), nodes::toString);
        Files.writeString(dir.resolve("cap.json"), """
                {"schemaVersion": 1, "nodes": [{"id": "cap", "type": "example.caption",
                 "parameters": {"text": "hello", "repeat": 2}}], "edges": []}
                """);
        Product.Result run = Product.run(dir, Map.of("PORTRAITGEN_DROPINS", dropins.toString(),
                "PORTRAITGEN_TRUST_DIR", dir.resolve("trust").toString(), "PORTRAITGEN_CACHE",
                dir.resolve("cache").toString()), "run", "cap.json");
        assertEquals(0, run.exitCode(), run::toString);
        Product.Result uninstall = Product.run(dir, env, "bundles", "uninstall", "org.portraitgen.examples.nodes");
        assertEquals(0, uninstall.exitCode(), uninstall::toString);
        assertFalse(Product.run(dir, env, "nodes", "--brief").out().contains("example.caption"));
    }

    @Test
    void onnxEditorsJarInstallsIntoTheProductAndSaysWhichModelFolderIsMissing() throws Exception {
        Path dropins = Files.createDirectories(dir.resolve("dropins"));
        Path models = dir.resolve("editor-models");
        Map<String, String> env = Map.of("PORTRAITGEN_DROPINS", dropins.toString(), "PORTRAITGEN_TRUST_DIR",
                dir.resolve("trust").toString(), "PORTRAITGEN_EDITOR_MODELS", models.toString());
        Path jar;
        try (var files = Files.list(Product.projectRoot().resolve("bundles/org.portraitgen.editors.onnx/target"))) {
            jar = files.filter(p -> p.getFileName().toString().endsWith(".jar")).findFirst().orElseThrow();
        }
        Product.Result install = Product.run(dir, env, "bundles", "install", jar.toString(), "--trust");
        assertEquals(0, install.exitCode(), install::toString);
        Product.Result gallery = Product.run(dir, env, "gallery", Product.sharedData().resolve("images/s0.jpg")
                .toString(), "sheet.png", "--size", "32");
        assertEquals(0, gallery.exitCode(), gallery::toString);
        assertTrue(gallery.out().contains("(14 editors)"), gallery::toString);
        assertTrue(gallery.err().contains("editor 'onnx.instructpix2pix' failed") && gallery.err().contains(
                models.resolve("instruct-pix2pix") + " does not exist"), gallery::toString);
    }
}
