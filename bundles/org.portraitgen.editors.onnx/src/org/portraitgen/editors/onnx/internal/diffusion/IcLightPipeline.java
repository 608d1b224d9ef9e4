package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.List;
import java.util.Map;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;
import org.portraitgen.editors.onnx.internal.sched.EulerScheduler;
import org.portraitgen.editors.onnx.internal.sched.NoiseSchedule;

/**
 * IC-Light's text-conditioned relighting (lllyasviel/IC-Light, the "fc" model): the foreground on a neutral grey
 * background is VAE-encoded (scaled by 0.18215) and concatenated to the noisy latent (8 UNet channels); the lighting
 * description guides with classifier-free guidance against IC-Light's negative prompt. A light direction starts
 * from a gradient image's latent, noised to the given denoise strength, as IC-Light's demo does; without one it
 * starts from pure noise. Euler steps in σ. With the "fbc" model (12 UNet channels) a background latent is
 * concatenated too: the given background image, else the light's gradient, else neutral grey.
 */
public final class IcLightPipeline {

    public static final String NEGATIVE = "lowres, bad anatomy, bad hands, cropped, worst quality";
    public static final List<String> LIGHTS = List.of("none", "left", "right", "top", "bottom");

    public static ModelRequirements requirements() {
        return StableDiffusionParts.withConcatenatedLatentUnet(-1);
    }

    public record Settings(int steps, double guidance, String light, double denoise, long seed) {
    }

    private final StableDiffusionParts sd;
    private final boolean withBackground;

    public IcLightPipeline(ModelFolder folder) throws ModelFolderException {
        this.sd = new StableDiffusionParts(folder);
        long channels = folder.manifest().files().get("unet").inputs().stream()
                .filter(t -> t.name().equals("sample")).findFirst().orElseThrow().dim(1);
        if (channels != 8 && channels != 12) {
            throw new ModelFolderException(folder.file("unet") + ": input 'sample' must have 8 channels (IC-Light "
                    + "fc: noisy and foreground latents) or 12 (fbc: and a background latent), declared " + channels);
        }
        this.withBackground = channels == 12;
    }

    /**
     * @param foreground RGB, sides multiples of 8
     * @param mask       its 1-channel matte (null: all foreground)
     * @param background for the fbc model: the background to light from (null: the light's gradient or grey)
     */
    public FloatImage relight(FloatImage foreground, FloatImage mask, FloatImage background, String lighting,
            Settings s) throws ModelRunException {
        Tensor text = sd.encodeText(lighting + ", best quality", NEGATIVE);
        Tensor hidden = Tensor.batch(text.item(0), text.item(1));
        Tensor fg = sd.encodeImage(ImageTensors.toTensor(onGrey(foreground, mask), 2, -1))
                .scaled(StableDiffusionParts.VAE_SCALING);
        if (withBackground) {
            int w = foreground.width();
            int h = foreground.height();
            FloatImage bg = background != null ? ImageTensors.resize(background, w, h)
                    : s.light().equals("none") ? grey(w, h) : gradient(w, h, s.light());
            fg = Tensor.concatChannels(fg, sd.encodeImage(ImageTensors.toTensor(bg, 2, -1))
                    .scaled(StableDiffusionParts.VAE_SCALING));
        }
        Tensor condition = Tensor.batch(fg, fg);

        EulerScheduler euler = new EulerScheduler(NoiseSchedule.stableDiffusion(), s.steps());
        long[] shape = {1, 4, fg.dim(2), fg.dim(3)};
        Tensor noise = SeededNoise.gaussian(s.seed(), shape);
        int start = 0;
        float[] latent;
        if (s.light().equals("none")) {
            latent = noise.scaled((float) euler.sigma(0)).data();
        } else {
            start = euler.img2imgStart(s.denoise());
            latent = sd.encodeImage(ImageTensors.toTensor(gradient(foreground.width(), foreground.height(),
                    s.light()), 2, -1)).scaled(StableDiffusionParts.VAE_SCALING).data();
            float sigma = (float) euler.sigma(start);
            for (int i = 0; i < latent.length; i++) {
                latent[i] += sigma * noise.data()[i];
            }
        }
        for (int i = start; i < euler.steps(); i++) {
            Tensor x = new Tensor(latent, shape).scaled(euler.inputScale(i));
            Tensor sample = Tensor.concatChannels(Tensor.batch(x, x), condition);
            Tensor eps = sd.ort().run("unet", Map.of("sample", sample, "timestep",
                    sd.timestep(euler.timestep(i), 2), "encoder_hidden_states",
                    hidden), "out_sample").get("out_sample");
            euler.step(Guidance.classifierFree(eps.item(0).data(), eps.item(1).data(), s.guidance()), i, latent);
        }
        return ImageTensors.toImage(sd.decode(new Tensor(latent, shape)), 0.5f, 0.5f);
    }

    /** The foreground over IC-Light's neutral grey (0.5) where the matte is background. */
    static FloatImage onGrey(FloatImage image, FloatImage mask) {
        if (mask == null) {
            return image;
        }
        return ImageTensors.blend(grey(image.width(), image.height()), image, mask);
    }

    static FloatImage grey(int width, int height) {
        FloatImage grey = new FloatImage(width, height, 3);
        java.util.Arrays.fill(grey.data(), 0.5f);
        return grey;
    }

    /** IC-Light's light-source images: a linear ramp from bright (the light's side) to dark. */
    static FloatImage gradient(int width, int height, String light) {
        FloatImage g = new FloatImage(width, height, 3);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                float u = (float) x / Math.max(1, width - 1);
                float v = (float) y / Math.max(1, height - 1);
                float value = switch (light) {
                    case "left" -> 1 - u;
                    case "right" -> u;
                    case "top" -> 1 - v;
                    case "bottom" -> v;
                    default -> throw new IllegalArgumentException("light must be one of " + LIGHTS + ", got '"
                            + light + "'");
                };
                for (int c = 0; c < 3; c++) {
                    g.set(c, x, y, value);
                }
            }
        }
        return g;
    }
}
