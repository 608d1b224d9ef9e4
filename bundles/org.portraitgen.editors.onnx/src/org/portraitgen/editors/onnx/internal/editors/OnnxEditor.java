package org.portraitgen.editors.onnx.internal.editors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.editors.onnx.internal.diffusion.ImageTensors;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/**
 * What the ONNX editors share: request checks, the model folder (opened and validated on first use, kept while its
 * manifest is unchanged, closed when the component deactivates), the working resolution (long side, multiples of
 * 8), and the final composite that keeps the input outside the mask. Results are new images: a failure leaves
 * nothing behind.
 *
 * @param <P> the pipeline built on an opened folder
 */
abstract class OnnxEditor<P> implements EditorProvider {

    static final ParameterSpec MODEL_FOLDER = ParameterSpec.text("modelFolder",
            "the model folder (empty: <editor models>/" + "<name>, see the README)", "");
    static final ParameterSpec RESOLUTION = ParameterSpec.integer("resolution",
            "long side the model works at (multiples of 8)", 512, 16, 2048);

    private record Loaded<P>(Path folder, FileTime manifestTime, ModelFolder models, P pipeline) {
    }

    private final EditorDescriptor descriptor = describe();
    private Loaded<P> loaded;

    protected abstract EditorDescriptor describe();

    /** The default folder name under the editor models folder. */
    protected abstract String folderName();

    protected abstract ModelRequirements requirements();

    protected abstract P pipeline(ModelFolder folder) throws ModelFolderException;

    /**
     * The effect on the whole working-size image (RGB, sides multiples of 8).
     *
     * @param mask the working-size mask, or null
     */
    protected abstract FloatImage render(P pipeline, EditRequest request, FloatImage image, FloatImage mask,
            NodeParameters params) throws Exception;

    @Override
    public final EditorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final FloatImage edit(EditRequest request) throws Exception {
        check(request);
        NodeParameters params = parameters(request.parameters());
        P pipeline = open(ModelFolders.resolve(params.string(MODEL_FOLDER.name()), folderName()));
        FloatImage image = request.image();
        int[] size = ImageTensors.workingSize(image.width(), image.height(), params.integer(RESOLUTION.name()));
        FloatImage mask = request.mask() == null ? null : ImageTensors.resize(request.mask(), size[0], size[1]);
        FloatImage effect = render(pipeline, request, ImageTensors.resize(image, size[0], size[1]), mask, params);
        return composite(image, ImageTensors.resize(effect, image.width(), image.height()), request.mask());
    }

    /** Effect inside the mask, input outside; the whole effect without a mask. */
    static FloatImage composite(FloatImage image, FloatImage effect, FloatImage mask) {
        if (mask == null) {
            return effect;
        }
        return ImageTensors.blend(image, effect, mask);
    }

    private synchronized P open(Path folder) throws ModelFolderException {
        FileTime time = manifestTime(folder);
        if (loaded != null && loaded.folder().equals(folder) && loaded.manifestTime().equals(time)) {
            return loaded.pipeline();
        }
        ModelFolder models = ModelFolder.open(folder, requirements(), threads());
        try {
            P p = pipeline(models);
            close();
            loaded = new Loaded<>(folder, time, models, p);
            return p;
        } catch (ModelFolderException | RuntimeException e) {
            models.close();
            throw e;
        }
    }

    private static FileTime manifestTime(Path folder) {
        try {
            return Files.getLastModifiedTime(folder.resolve("manifest.json"));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static int threads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /** Closes the open model folder (component deactivation, or a different folder requested). */
    protected synchronized void close() {
        if (loaded != null) {
            loaded.models().close();
            loaded = null;
        }
    }

    private void check(EditRequest r) {
        String editor = "editor '" + descriptor.id() + "': ";
        List<String> problems = new ArrayList<>();
        if (r == null || r.image() == null) {
            throw new IllegalArgumentException(editor + "image is missing");
        }
        FloatImage image = r.image();
        if (image.channels() != 3) {
            problems.add("image must be RGB (3 channels), it has " + image.channels());
        }
        if (r.mask() == null && descriptor.needs().contains(EditorInput.MASK)) {
            problems.add("mask is required");
        } else if (r.mask() != null && (r.mask().channels() != 1 || !r.mask().sameSize(image))) {
            problems.add("mask must be 1 channel of " + image.width() + "x" + image.height() + ", it is "
                    + r.mask().channels() + " channel(s) of " + r.mask().width() + "x" + r.mask().height());
        }
        if (descriptor.needs().contains(EditorInput.REFERENCE_IMAGE) && r.reference() == null) {
            problems.add("reference image (RGB) is required");
        } else if (r.reference() != null && r.reference().channels() != 3) {
            problems.add("reference image must be RGB (3 channels), it has " + r.reference().channels());
        }
        if (descriptor.needs().contains(EditorInput.PROMPT) && (r.prompt() == null || r.prompt().isBlank())) {
            problems.add("prompt is required and must not be empty");
        }
        if (!(r.strength() >= 0 && r.strength() <= 1)) {
            problems.add("strength must be in [0, 1], got " + r.strength());
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(editor + String.join("; ", problems));
        }
    }

    private NodeParameters parameters(Map<String, Object> given) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String name : given.keySet()) {
            if (descriptor.parameters().stream().noneMatch(p -> p.name().equals(name))) {
                throw new IllegalArgumentException("editor '" + descriptor.id() + "': '" + name
                        + "' is not one of its parameters " + descriptor.parameters().stream()
                                .map(ParameterSpec::name).toList());
            }
        }
        for (ParameterSpec p : descriptor.parameters()) {
            Object v = given.getOrDefault(p.name(), p.defaultValue());
            if (p.min() != null || p.max() != null) {
                double d;
                try {
                    d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("editor '" + descriptor.id() + "': parameter '" + p.name()
                            + "' must be a number, got '" + v + "'");
                }
                if (!(d >= p.min() && d <= p.max())) {
                    throw new IllegalArgumentException("editor '" + descriptor.id() + "': parameter '" + p.name()
                            + "' must be in [" + p.min() + ", " + p.max() + "], got " + v);
                }
            }
            if (!p.choices().isEmpty() && !p.choices().contains(String.valueOf(v))) {
                throw new IllegalArgumentException("editor '" + descriptor.id() + "': parameter '" + p.name()
                        + "' must be one of " + p.choices() + ", got '" + v + "'");
            }
            values.put(p.name(), v);
        }
        return new NodeParameters(values);
    }
}
