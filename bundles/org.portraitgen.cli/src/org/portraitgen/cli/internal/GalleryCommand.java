package org.portraitgen.cli.internal;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import javax.imageio.ImageIO;

import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.Images;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "gallery", description = "Write a labelled contact sheet of every installed editor applied to an "
        + "image (with its default parameters).")
public final class GalleryCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "the image to edit (PNG or JPEG)")
    Path imageFile;

    @Parameters(index = "1", paramLabel = "OUT.png", description = "the contact sheet to write")
    Path outFile;

    @Option(names = "--reference", paramLabel = "IMAGE", description = "reference image for editors that use one")
    Path referenceFile;

    @Option(names = "--mask", paramLabel = "IMAGE", description = "grey mask of the region to edit (default: the "
            + "whole image; editors that need a region get an ellipse on the lower middle, where a garment goes)")
    Path maskFile;

    @Option(names = "--prompt", description = "instruction for editors that take a prompt")
    String prompt = "make it look like a painting";

    @Option(names = "--size", description = "longest side the editors work at (default: ${DEFAULT-VALUE})")
    int size = 512;

    @Option(names = "--seed", description = "seed for stochastic editors (default: ${DEFAULT-VALUE})")
    long seed = 1;

    public GalleryCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() throws Exception {
        FloatImage image = read(imageFile, "IMAGE", size);
        FloatImage reference = referenceFile == null ? null : read(referenceFile, "--reference", size);
        FloatImage mask = maskFile == null ? null : Images.toFloat(scaled(load(maskFile, "--mask"), image), 1);
        List<ServiceReference<EditorProvider>> refs = editors();
        if (refs.isEmpty()) {
            env.err().println("portraitgen: no editors are installed");
            return Cli.FAILURE;
        }
        ContactSheet sheet = new ContactSheet(image.width(), image.height(), refs.size() + 1);
        sheet.add(Images.toBufferedImage(image), "original", imageFile.getFileName().toString());
        for (ServiceReference<EditorProvider> ref : refs) {
            EditorProvider editor = env.bundleContext().getService(ref);
            if (editor == null) {
                continue; // uninstalled while we ran
            }
            try {
                addTile(sheet, editor, image, mask, reference);
            } finally {
                env.bundleContext().ungetService(ref);
            }
        }
        writeAtomically(sheet.image(), env.cwd().resolve(outFile));
        env.out().println("wrote " + env.cwd().resolve(outFile).normalize() + " (" + refs.size() + " editors)");
        return Cli.OK;
    }

    private void addTile(ContactSheet sheet, EditorProvider editor, FloatImage image, FloatImage mask,
            FloatImage reference) {
        var d = editor.descriptor();
        if (d.needs().contains(EditorInput.REFERENCE_IMAGE) && reference == null) {
            sheet.addNote(d.label(), d.id(), "needs --reference");
            return;
        }
        FloatImage region = mask == null && d.needs().contains(EditorInput.MASK) ? DefaultMask.garment(image) : mask;
        long start = System.nanoTime();
        try {
            FloatImage out = editor.edit(new EditRequest(image, region, d.uses(EditorInput.REFERENCE_IMAGE)
                    ? reference : null, null, prompt, 1.0, seed, Map.of()));
            long ms = (System.nanoTime() - start) / 1_000_000;
            sheet.add(Images.toBufferedImage(out), d.label(), d.id() + "  " + ms + " ms");
            env.out().printf("  %-24s %6d ms%n", d.id(), ms);
        } catch (Exception | LinkageError e) {
            sheet.addNote(d.label(), d.id(), "failed: " + e.getMessage());
            env.err().println("portraitgen: editor '" + d.id() + "' failed: " + e);
        }
    }

    private List<ServiceReference<EditorProvider>> editors() throws InvalidSyntaxException {
        Collection<ServiceReference<EditorProvider>> found = env.bundleContext()
                .getServiceReferences(EditorProvider.class, null);
        List<ServiceReference<EditorProvider>> refs = new ArrayList<>(found);
        refs.sort(Comparator.comparing(r -> String.valueOf(r.getProperty(EditorProvider.ID_PROPERTY))));
        return refs;
    }

    private FloatImage read(Path file, String what, int longest) throws IOException {
        BufferedImage img = load(file, what);
        double scale = Math.min(1.0, (double) longest / Math.max(img.getWidth(), img.getHeight()));
        int w = Math.max(1, (int) Math.round(img.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(img.getHeight() * scale));
        return Images.toFloat(ContactSheet.resize(img, w, h), 3);
    }

    private static BufferedImage scaled(BufferedImage mask, FloatImage like) {
        return ContactSheet.resize(mask, like.width(), like.height());
    }

    private BufferedImage load(Path file, String what) throws IOException {
        Path p = env.cwd().resolve(file);
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(what + ": cannot read " + p);
        }
        BufferedImage img = ImageIO.read(p.toFile());
        if (img == null) {
            throw new IllegalArgumentException(what + ": " + p + " is not an image ImageIO can read");
        }
        return img;
    }

    /** A temp file beside the target, then an atomic rename: readers never see half a PNG. */
    private static void writeAtomically(BufferedImage image, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, ".gallery-", ".png.tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer is available");
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
