package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.List;
import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/**
 * Arbitrary neural style transfer in one forward pass (AdaIN, Huang and Belongie 2017, exported with its VGG
 * encoder and decoder): {@code content} and {@code style} in [0, 1], {@code alpha} the content–style trade-off in
 * feature space, {@code stylized} out.
 */
public final class NeuralStylePipeline {

    public static ModelRequirements requirements() {
        return new ModelRequirements().onnx("style",
                List.of(ModelRequirements.in("content", "float32", 1, 3, -1, -1),
                        ModelRequirements.in("style", "float32", 1, 3, -1, -1),
                        ModelRequirements.in("alpha", "float32", 1)),
                List.of(ModelRequirements.in("stylized", "float32", 1, 3, -1, -1)));
    }

    private final OrtRunner ort;

    public NeuralStylePipeline(ModelFolder folder) {
        this.ort = new OrtRunner(folder);
    }

    /** Content at its size (multiples of 8), style resized to the same size. */
    public FloatImage stylize(FloatImage content, FloatImage style, double alpha) throws ModelRunException {
        FloatImage s = ImageTensors.resize(style, content.width(), content.height());
        Tensor out = ort.run("style", Map.of("content", ImageTensors.toTensor(content, 1, 0), "style",
                ImageTensors.toTensor(s, 1, 0), "alpha", new Tensor(new float[] {(float) alpha}, 1)), "stylized")
                .get("stylized");
        FloatImage result = ImageTensors.toImage(out, 1, 0);
        return ImageTensors.resize(result, content.width(), content.height());
    }
}
