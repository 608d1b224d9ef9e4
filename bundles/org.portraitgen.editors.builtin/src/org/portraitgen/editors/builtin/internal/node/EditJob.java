package org.portraitgen.editors.builtin.internal.node;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.core.Images;

/**
 * Everything an {@code editor.apply} run needs, checked before the first frame is edited so a bad graph fails at
 * once with a message naming the editor, port or parameter, and nothing is half-written.
 */
record EditJob(String where, String editorId, EditorProvider editor, FrameStore frames, FrameStore masks,
        FloatImage reference, String prompt, double strength, long seed) {

    static EditJob prepare(NodeContext context, NodeDescriptor type, List<EditorProvider> installed, VideoIO io)
            throws NodeException {
        String where = "node '" + context.nodeId() + "' (" + type.type() + "): ";
        NodeParameters p = context.parameters();
        String id = value(p, type, "editor").trim();
        EditorProvider editor = find(installed, id).orElseThrow(() -> new NodeException(where + "editor '" + id
                + "' is not installed; installed editors: " + ids(installed)));
        var needs = editor.descriptor().needs();
        FrameStore frames = open(context, io, "frames", where).orElseThrow(
                () -> new InvalidInputException(where + "input 'frames' is not connected"));
        FrameStore masks = open(context, io, "masks", where).orElse(null);
        checkMasks(frames, masks, where);
        if (masks == null && needs.contains(EditorInput.MASK)) {
            throw new InvalidInputException(where + "editor '" + id + "' needs input 'masks' (the region to edit)");
        }
        String referenceFile = value(p, type, "reference");
        FloatImage reference = referenceFile.isBlank() ? null : readReference(Path.of(referenceFile), where);
        if (reference == null && needs.contains(EditorInput.REFERENCE_IMAGE)) {
            throw new InvalidInputException(where + "editor '" + id + "' needs parameter 'reference' (an image)");
        }
        String prompt = value(p, type, "prompt");
        if (prompt.isBlank() && needs.contains(EditorInput.PROMPT)) {
            throw new InvalidInputException(where + "editor '" + id + "' needs a non-empty parameter 'prompt'");
        }
        return new EditJob(where, id, editor, frames, masks, editor.descriptor().uses(EditorInput.REFERENCE_IMAGE)
                ? reference : null, prompt.isBlank() ? null : prompt, Double.parseDouble(value(p, type, "strength")),
                (long) Double.parseDouble(value(p, type, "seed")));
    }

    /** The mask of frame {@code index}, or null when no masks are connected. */
    FloatImage mask(int index) throws IOException {
        return masks == null ? null : masks.read(index);
    }

    private static void checkMasks(FrameStore frames, FrameStore masks, String where) throws InvalidInputException {
        if (masks == null) {
            return;
        }
        var f = frames.info();
        var m = masks.info();
        if (m.channels() != 1 || m.width() != f.width() || m.height() != f.height()
                || m.frameCount() < f.frameCount()) {
            throw new InvalidInputException(where + "input 'masks' holds " + m.frameCount() + " " + m.width() + "x"
                    + m.height() + "x" + m.channels() + " images; the frames need " + f.frameCount() + " "
                    + f.width() + "x" + f.height() + "x1 masks");
        }
    }

    private static Optional<FrameStore> open(NodeContext context, VideoIO io, String port, String where)
            throws NodeException {
        Optional<Path> dir = context.input(port);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(io.open(dir.get()));
        } catch (IOException e) {
            throw new InvalidInputException(where + "input '" + port + "': " + e.getMessage(), e);
        }
    }

    private static FloatImage readReference(Path file, String where) throws InvalidInputException {
        try {
            BufferedImage img = Files.isReadable(file) ? ImageIO.read(file.toFile()) : null;
            if (img == null) {
                throw new InvalidInputException(where + "parameter 'reference': " + file
                        + " is missing or not an image (PNG or JPEG)");
            }
            return Images.toFloat(img, 3);
        } catch (IOException e) {
            throw new InvalidInputException(where + "parameter 'reference': cannot read " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /** The graph's value or the descriptor's default: the pipeline does not fill defaults in for every executor. */
    private static String value(NodeParameters p, NodeDescriptor type, String name) {
        if (p.has(name)) {
            return p.string(name);
        }
        Object d = type.parameter(name).map(ParameterSpec::defaultValue).orElse(null);
        if (d == null) {
            throw new IllegalArgumentException("parameter '" + name + "' has no value");
        }
        return d.toString();
    }

    private static Optional<EditorProvider> find(List<EditorProvider> installed, String id) {
        return installed == null ? Optional.empty()
                : installed.stream().filter(e -> e.descriptor().id().equals(id)).findFirst();
    }

    private static String ids(List<EditorProvider> installed) {
        return installed == null || installed.isEmpty() ? "none"
                : installed.stream().map(e -> e.descriptor().id()).sorted().collect(Collectors.joining(", "));
    }
}
