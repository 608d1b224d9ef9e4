package org.portraitgen.cli.tests;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.cli.internal.Cli;
import org.portraitgen.cli.internal.CliEnvironment;

/**
 * The ONNX editors are not part of the product: installing their bundle jar (as built by the reactor) through
 * {@code bundles install --trust}, i.e. into the watched dropins/ folder, adds its four editors to this running
 * framework without a restart, and removing it takes them away again.
 */
class OnnxEditorsHotInstallTest {

    static final String BUNDLE = "org.portraitgen.editors.onnx";
    static final Set<String> EDITORS = Set.of("onnx.instructpix2pix", "onnx.iclight", "onnx.anydoor",
            "onnx.neuralstyle");

    @TempDir
    Path dir;
    final BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int cli(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        return Cli.execute(new CliEnvironment(context, new PrintWriter(out, true), new PrintWriter(err, true), dir,
                false), args);
    }

    private Path dropins() {
        return Path.of(context.getProperty("felix.fileinstall.dir"));
    }

    static Path onnxEditorsJar() throws Exception {
        Path target = Path.of(System.getProperty("portraitgen.project.root"), "bundles", BUNDLE, "target");
        try (var files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("org\\.portraitgen\\.editors\\.onnx-.*\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("the reactor did not build " + BUNDLE
                            + " into " + target));
        }
    }

    private Set<String> installedEditorIds() throws Exception {
        Set<String> ids = new TreeSet<>();
        for (var ref : context.getServiceReferences(EditorProvider.class, null)) {
            ids.add(String.valueOf(ref.getProperty(EditorProvider.ID_PROPERTY)));
        }
        return ids;
    }

    private Optional<Bundle> bundle() {
        return Arrays.stream(context.getBundles()).filter(b -> BUNDLE.equals(b.getSymbolicName())
                && b.getState() != Bundle.UNINSTALLED).findFirst();
    }

    @AfterEach
    void uninstall() throws Exception {
        Files.createDirectories(dropins());
        try (var files = Files.list(dropins())) {
            for (Path f : files.toList()) {
                Files.delete(f);
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> bundle().isEmpty());
    }

    @Test
    void installingTheJarAddsTheEditorsWithoutRestart() throws Exception {
        Files.createDirectories(dropins());
        assertTrue(bundle().isEmpty(), "the ONNX editors are not in this runtime before the test");
        assertTrue(installedEditorIds().stream().noneMatch(EDITORS::contains));

        assertEquals(Cli.OK, cli("bundles", "install", onnxEditorsJar().toString(), "--trust"), err::toString);
        await().atMost(Duration.ofSeconds(30)).until(() -> installedEditorIds().containsAll(EDITORS));

        // the gallery lists them; without downloaded weights each says which model folder is missing
        Path image = Path.of(System.getProperty("portraitgen.shared.data"), "images", "s0.jpg");
        assertEquals(Cli.OK, cli("gallery", image.toString(), "sheet.png", "--size", "32"), err::toString);
        for (String id : List.of("onnx.instructpix2pix", "onnx.iclight")) {
            assertTrue(err.toString().contains("editor '" + id + "' failed") && err.toString().contains(
                    "model folder"), err::toString);
        }

        assertEquals(Cli.OK, cli("bundles", "uninstall", BUNDLE), err::toString);
        await().atMost(Duration.ofSeconds(30)).until(() -> installedEditorIds().stream().noneMatch(EDITORS::contains));
    }
}
