package org.portraitgen.editors.onnx.internal.diffusion;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OrtException;

import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;
import org.portraitgen.editors.onnx.internal.model.TensorSpec;
import org.portraitgen.editors.onnx.internal.text.ClipTokenizer;

/**
 * The Stable Diffusion 1.x stages the diffusion editors share, with the input and output names of a Hugging Face
 * Optimum export: tokenizer ({@code tokenizer/vocab.json}, {@code merges.txt}), text encoder ({@code input_ids} →
 * {@code last_hidden_state}), VAE encoder ({@code sample} → {@code latent_parameters}: mean and log-variance, or an
 * older export's 4-channel {@code latent_sample}) and decoder ({@code latent_sample} → {@code sample}).
 */
public final class StableDiffusionParts {

    /** Stable Diffusion's VAE latent scaling: latents the UNet sees are 0.18215 × the VAE's. */
    public static final float VAE_SCALING = 0.18215f;

    private final OrtRunner ort;
    private final ClipTokenizer tokenizer;
    private final String idsType;
    private final String encoderOutput;
    private final String timestepType;

    public StableDiffusionParts(ModelFolder folder) throws ModelFolderException {
        this.ort = new OrtRunner(folder);
        try {
            this.tokenizer = ClipTokenizer.load(folder.file("tokenizer_vocab"), folder.file("tokenizer_merges"));
            this.idsType = folder.inputType("text_encoder", "input_ids");
        } catch (IOException | OrtException e) {
            throw new ModelFolderException("tokenizer of " + folder.folder() + " cannot be read: " + e.getMessage(),
                    e);
        }
        this.timestepType = folder.manifest().files().containsKey("unet") ? inputType(folder, "unet", "timestep")
                : null;
        List<TensorSpec> vaeOut = folder.manifest().files().get("vae_encoder").outputs();
        this.encoderOutput = vaeOut.stream().map(TensorSpec::name).filter(n -> n.equals("latent_parameters"))
                .findFirst().orElse("latent_sample");
    }

    /** Adds the text encoder, tokenizer and VAE to a pipeline's requirements. */
    public static ModelRequirements require(ModelRequirements r) {
        return r.file("tokenizer_vocab", "CLIP vocab.json").file("tokenizer_merges", "CLIP merges.txt")
                .onnx("text_encoder", List.of(ModelRequirements.in("input_ids", "int32|int64", -1, 77)),
                        List.of(ModelRequirements.in("last_hidden_state", "float32", -1, 77, -1)))
                .onnx("vae_encoder", List.of(ModelRequirements.in("sample", "float32", -1, 3, -1, -1)), List.of())
                .onnx("vae_decoder", List.of(ModelRequirements.in("latent_sample", "float32", -1, 4, -1, -1)),
                        List.of(ModelRequirements.in("sample", "float32", -1, 3, -1, -1)));
    }

    /**
     * The requirements of a pipeline whose UNet sees the noisy latent and a 4-channel image latent concatenated (8
     * channels) with a CLIP text embedding: InstructPix2Pix and IC-Light's "fc" model (8), IC-Light's "fbc" (12: a
     * background latent too); -1 leaves the channel count to the pipeline.
     */
    public static ModelRequirements withConcatenatedLatentUnet(long channels) {
        return require(new ModelRequirements()).onnx("unet",
                List.of(ModelRequirements.in("sample", "float32", -1, channels, -1, -1),
                        ModelRequirements.in("timestep", "int64|int32|float32", -1),
                        ModelRequirements.in("encoder_hidden_states", "float32", -1, 77, -1)),
                List.of(ModelRequirements.in("out_sample", "float32", -1, 4, -1, -1)));
    }

    /** An input's element type as the opened model declares it. */
    static String inputType(ModelFolder folder, String role, String input) throws ModelFolderException {
        try {
            return folder.inputType(role, input);
        } catch (OrtException e) {
            throw new ModelFolderException(folder.file(role) + ": cannot read input '" + input + "': "
                    + e.getMessage(), e);
        }
    }

    /** The UNet's timestep input for a batch, in the dtype the export declares. */
    public Object timestep(double t, int batch) {
        return timestep(timestepType, t, batch);
    }

    public OrtRunner ort() {
        return ort;
    }

    public ClipTokenizer tokenizer() {
        return tokenizer;
    }

    /** Text embeddings [N, 77, D] of the prompts, in order. */
    public Tensor encodeText(String... prompts) throws ModelRunException {
        long[] ids = new long[prompts.length * ClipTokenizer.CONTEXT_LENGTH];
        for (int i = 0; i < prompts.length; i++) {
            int[] t = tokenizer.encode(prompts[i]);
            for (int k = 0; k < t.length; k++) {
                ids[i * ClipTokenizer.CONTEXT_LENGTH + k] = t[k];
            }
        }
        return ort.run("text_encoder", Map.of("input_ids", new OrtRunner.IntInput(ids, idsType, prompts.length,
                ClipTokenizer.CONTEXT_LENGTH)), "last_hidden_state").get("last_hidden_state");
    }

    /** The VAE posterior's mean (its mode) for an image tensor in [−1, 1], unscaled: [1, 4, H/8, W/8]. */
    public Tensor encodeImage(Tensor image) throws ModelRunException {
        Tensor out = ort.run("vae_encoder", Map.of("sample", image), encoderOutput).get(encoderOutput);
        if (out.dim(1) == 4) {
            return out;
        }
        // latent_parameters: mean (channels 0..3) then log-variance (4..7)
        int plane = (int) (out.dim(2) * out.dim(3));
        float[] mean = java.util.Arrays.copyOf(out.data(), 4 * plane);
        return new Tensor(mean, 1, 4, out.dim(2), out.dim(3));
    }

    /** Image tensor in [−1, 1] of UNet-space latents (divided by the scaling factor first). */
    public Tensor decode(Tensor latents) throws ModelRunException {
        return ort.run("vae_decoder", Map.of("latent_sample", latents.scaled(1 / VAE_SCALING)), "sample")
                .get("sample");
    }

    /** The UNet's timestep input ([N], int64 or float32 as the export declares). */
    public static Object timestep(String dtype, double t, int batch) {
        if (dtype.equals("float32")) {
            float[] v = new float[batch];
            java.util.Arrays.fill(v, (float) t);
            return new Tensor(v, batch);
        }
        long[] v = new long[batch];
        java.util.Arrays.fill(v, Math.round(t));
        return new OrtRunner.IntInput(v, dtype, batch);
    }
}
