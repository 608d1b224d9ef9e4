package org.portraitgen.cli.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.portraitgen.cli.internal.Cli;
import org.portraitgen.cli.internal.CliEnvironment;

/** {@code portraitgen gallery}: a contact sheet of every installed editor, written whole or not at all. */
class GalleryCommandTest {

    @TempDir
    Path dir;
    final BundleContext context = FrameworkUtil.getBundle(getClass()).getBundleContext();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    private int cli(String... args) {
        return Cli.execute(new CliEnvironment(context, new PrintWriter(out, true), new PrintWriter(err, true), dir,
                false), args);
    }

    private static Path image(String name) {
        return Path.of(System.getProperty("portraitgen.shared.data"), "images", name);
    }

    @Test
    void writesOneLabelledTilePerEditor() throws Exception {
        int code = cli("gallery", image("s0.jpg").toString(), "sheet.png", "--reference",
                image("s12.jpg").toString(), "--size", "64");
        assertEquals(Cli.OK, code, err.toString());
        BufferedImage sheet = ImageIO.read(dir.resolve("sheet.png").toFile());
        assertNotNull(sheet);
        assertTrue(out.toString().contains("builtin.lego"), out.toString());
        assertTrue(out.toString().contains("(10 editors)"), out.toString());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "only the sheet remains: no temp files");
        }
    }

    @Test
    void anUnreadableImageIsAnInputError() {
        int code = cli("gallery", dir.resolve("missing.jpg").toString(), "sheet.png");
        assertEquals(Cli.INVALID, code);
        assertTrue(err.toString().contains("IMAGE: cannot read"), err.toString());
        assertTrue(!Files.exists(dir.resolve("sheet.png")));
    }
}
