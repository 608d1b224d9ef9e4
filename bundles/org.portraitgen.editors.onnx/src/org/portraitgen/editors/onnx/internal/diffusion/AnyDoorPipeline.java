package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.List;
import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;
import org.portraitgen.editors.onnx.internal.sched.DdimScheduler;
import org.portraitgen.editors.onnx.internal.sched.NoiseSchedule;

/**
 * AnyDoor (ali-vilab/AnyDoor): an object or garment from a reference image put into the masked region. The
 * reference is encoded by its image encoder (DINOv2 plus projection, input [0, 1] at 224², normalised inside the
 * export) into the UNet's cross-attention context; the target's surroundings reach the UNet through the control
 * input, a collage ({@link AnyDoorCollage}): the crop around the mask with the reference's high-frequency map in the
 * mask's box, plus the box as a fourth channel. Guidance against the encoding of a black image, DDIM from pure noise.
 */
public final class AnyDoorPipeline {

    public static final int ENCODER_SIZE = 224;

    public static ModelRequirements requirements() {
        return new ModelRequirements()
                .onnx("image_encoder", List.of(ModelRequirements.in("image", "float32", -1, 3, 224, 224)),
                        List.of(ModelRequirements.in("embeddings", "float32", -1, -1, -1)))
                .onnx("unet", List.of(ModelRequirements.in("sample", "float32", -1, 4, -1, -1),
                        ModelRequirements.in("timestep", "int64|int32|float32", -1),
                        ModelRequirements.in("context", "float32", -1, -1, -1),
                        ModelRequirements.in("control", "float32", -1, 4, -1, -1)),
                        List.of(ModelRequirements.in("out_sample", "float32", -1, 4, -1, -1)))
                .onnx("vae_decoder", List.of(ModelRequirements.in("latent_sample", "float32", -1, 4, -1, -1)),
                        List.of(ModelRequirements.in("sample", "float32", -1, 3, -1, -1)));
    }

    public record Settings(int steps, double guidance, int resolution, long seed) {
    }

    private final OrtRunner ort;
    private final String timestepType;

    public AnyDoorPipeline(ModelFolder folder) throws ModelFolderException {
        this.ort = new OrtRunner(folder);
        this.timestepType = StableDiffusionParts.inputType(folder, "unet", "timestep");
    }

    /** The whole image with the generated crop pasted back (the caller keeps the input outside the mask). */
    public FloatImage insert(FloatImage image, FloatImage mask, FloatImage reference, Settings s)
            throws ModelRunException {
        AnyDoorCollage collage = AnyDoorCollage.build(image, mask, reference, s.resolution());
        FloatImage square = AnyDoorCollage.padToSquare(reference);
        Tensor ref = ImageTensors.toTensor(ImageTensors.resize(square, ENCODER_SIZE, ENCODER_SIZE), 1, 0);
        Tensor black = Tensor.zeros(ref.shape());
        Tensor embeddings = ort.run("image_encoder", Map.of("image", Tensor.batch(ref, black)), "embeddings")
                .get("embeddings");
        Tensor control = Tensor.batch(collage.control(), collage.control());

        int side = s.resolution() / 8;
        long[] shape = {1, 4, side, side};
        DdimScheduler ddim = new DdimScheduler(NoiseSchedule.stableDiffusion(), s.steps());
        float[] latent = SeededNoise.gaussian(s.seed(), shape).data();
        for (int t : ddim.timesteps()) {
            Tensor x = new Tensor(latent, shape);
            Tensor eps = ort.run("unet", Map.of("sample", Tensor.batch(x, x), "timestep",
                    StableDiffusionParts.timestep(timestepType, t, 2), "context", embeddings, "control", control),
                    "out_sample").get("out_sample");
            ddim.step(Guidance.classifierFree(eps.item(0).data(), eps.item(1).data(), s.guidance()), t, latent);
        }
        Tensor decoded = ort.run("vae_decoder", Map.of("latent_sample",
                new Tensor(latent, shape).scaled(1 / StableDiffusionParts.VAE_SCALING)), "sample").get("sample");
        return collage.pasteBack(image, ImageTensors.toImage(decoded, 0.5f, 0.5f));
    }
}
