package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;
import org.portraitgen.editors.onnx.internal.sched.DdimScheduler;
import org.portraitgen.editors.onnx.internal.sched.NoiseSchedule;

/**
 * InstructPix2Pix as PortraitGen (after Instruct-NeRF2NeRF) runs it: the input's latent noised to level t and
 * denoised in DDIM steps by a UNet that sees [noisy latent ‖ image latent] (8 channels) and the text embedding, in a
 * batch of three for the image-and-text guidance of {@link Guidance#instructPix2Pix}.
 */
public final class InstructPix2PixPipeline {

    /** UNet inputs and output of an Optimum export of timbrooks/instruct-pix2pix. */
    public static ModelRequirements requirements() {
        return StableDiffusionParts.withConcatenatedLatentUnet(8);
    }

    /**
     * @param noiseLevel t in (0, 1]: the input is noised to timestep round(1000·t) (PortraitGen: 0.5 to 0.8)
     */
    public record Settings(int steps, double textScale, double imageScale, double noiseLevel, long seed) {
    }

    private final StableDiffusionParts sd;

    public InstructPix2PixPipeline(ModelFolder folder) throws ModelFolderException {
        this.sd = new StableDiffusionParts(folder);
    }

    public StableDiffusionParts parts() {
        return sd;
    }

    /** Edits an RGB image whose sides are multiples of 8. */
    public FloatImage edit(FloatImage image, String prompt, Settings s) throws ModelRunException {
        Tensor text = sd.encodeText(prompt, "");
        Tensor full = text.item(0);
        Tensor empty = text.item(1);
        Tensor hidden = Tensor.batch(full, empty, empty);

        Tensor imageLatent = sd.encodeImage(ImageTensors.toTensor(image, 2, -1));
        Tensor noLatent = Tensor.zeros(imageLatent.shape());
        Tensor condition = Tensor.batch(imageLatent, imageLatent, noLatent);

        int span = Math.max(1, (int) Math.round(s.noiseLevel() * NoiseSchedule.TRAIN_STEPS));
        DdimScheduler ddim = new DdimScheduler(NoiseSchedule.stableDiffusion(), Math.min(s.steps(), span), span);
        int[] timesteps = ddim.timesteps();
        float[] latent = imageLatent.scaled(StableDiffusionParts.VAE_SCALING).data();
        Tensor noise = SeededNoise.gaussian(s.seed(), imageLatent.shape());
        ddim.addNoise(latent, noise.data(), timesteps[0]);

        long[] shape = imageLatent.shape();
        for (int t : timesteps) {
            Tensor x = new Tensor(latent, shape);
            Tensor sample = Tensor.concatChannels(Tensor.batch(x, x, x), condition);
            Tensor eps = sd.ort().run("unet", Map.of("sample", sample, "timestep",
                    sd.timestep(t, 3), "encoder_hidden_states", hidden),
                    "out_sample").get("out_sample");
            float[] guided = Guidance.instructPix2Pix(eps.item(0).data(), eps.item(1).data(), eps.item(2).data(),
                    s.textScale(), s.imageScale());
            ddim.step(guided, t, latent);
        }
        return ImageTensors.toImage(sd.decode(new Tensor(latent, shape)), 0.5f, 0.5f);
    }
}
