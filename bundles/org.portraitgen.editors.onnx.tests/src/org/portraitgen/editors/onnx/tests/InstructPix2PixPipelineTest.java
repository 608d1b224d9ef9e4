package org.portraitgen.editors.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.diffusion.Guidance;
import org.portraitgen.editors.onnx.internal.diffusion.InstructPix2PixPipeline;
import org.portraitgen.editors.onnx.internal.diffusion.SeededNoise;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.sched.DdimScheduler;
import org.portraitgen.editors.onnx.internal.sched.NoiseSchedule;
import org.portraitgen.editors.onnx.internal.text.ClipTokenizer;

/**
 * The InstructPix2Pix pipeline on tiny linear models against the same computation written out by hand: tokenizer →
 * embedding → mean, VAE encoder mean (first 4 of 8 channels) unscaled as the image condition and × 0.18215 as the
 * start latent, noise to the first timestep, per step the three-way batch and the guidance formula, DDIM, decode ÷
 * 0.18215. Any stage skipped, reordered or scaled wrongly changes the result far beyond the tolerance.
 */
class InstructPix2PixPipelineTest {

    static final int W = 24;
    static final int H = 16;
    @TempDir
    static Path dir;
    static TinyModels tiny;
    static ModelFolder folder;
    static InstructPix2PixPipeline pipeline;
    static ClipTokenizer tokenizer;

    @BeforeAll
    static void open() throws Exception {
        tiny = TinyModels.pix2pixFolder(dir);
        folder = ModelFolder.open(dir, InstructPix2PixPipeline.requirements(), 1);
        pipeline = new InstructPix2PixPipeline(folder);
        Path vocab = ClipVocabulary.folder();
        tokenizer = ClipTokenizer.load(vocab.resolve("vocab.json"), vocab.resolve("merges.txt"));
    }

    @AfterAll
    static void close() {
        folder.close();
    }

    static FloatImage image() {
        return imageOf(W, H);
    }

    static FloatImage imageOf(int width, int height) {
        FloatImage img = new FloatImage(width, height, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    img.set(c, x, y, (float) (0.5 + 0.4 * Math.sin(0.3 * x + 0.7 * y + 2 * c)));
                }
            }
        }
        return img;
    }

    @Test
    void guidanceArithmeticByHand() {
        float[] out = Guidance.instructPix2Pix(new float[] {1f}, new float[] {0.5f}, new float[] {0.25f}, 7.5, 1.5);
        // 0.25 + 1.5·(0.5 − 0.25) + 7.5·(1 − 0.5)
        assertEquals(0.25 + 0.375 + 3.75, out[0], 1e-6);
        assertEquals(0.25 + 2 * (1 - 0.25), Guidance.classifierFree(new float[] {1f}, new float[] {0.25f}, 2)[0],
                1e-6);
    }

    @Test
    void matchesTheHandComputation() throws Exception {
        var s = new InstructPix2PixPipeline.Settings(10, 7.5, 1.5, 0.65, 42);
        FloatImage got = pipeline.edit(image(), "make it bronze", s);
        FloatImage want = reference(image(), "make it bronze", s);
        float max = 0;
        for (int i = 0; i < got.data().length; i++) {
            max = Math.max(max, Math.abs(got.data()[i] - want.data()[i]));
        }
        // float32 in ONNX Runtime against float32/double here over 10 steps: agreement to ~1e-5
        assertEquals(0, max, 2e-4, "largest difference to the hand computation");
        float spread = 0;
        for (float v : got.data()) {
            spread = Math.max(spread, Math.abs(v - got.data()[0]));
        }
        assertFalse(spread < 1e-3, "the result is not a flat image");
    }

    @Test
    void seedPromptAndScalesMatter() throws Exception {
        var s = new InstructPix2PixPipeline.Settings(4, 7.5, 1.5, 0.7, 7);
        float[] a = pipeline.edit(image(), "make it bronze", s).data();
        assertArrayEquals(a, pipeline.edit(image(), "make it bronze", s).data(), "same seed, same result");
        assertFalse(Arrays.equals(a, pipeline.edit(image(), "make it bronze",
                new InstructPix2PixPipeline.Settings(4, 7.5, 1.5, 0.7, 8)).data()), "the seed matters");
        assertFalse(Arrays.equals(a, pipeline.edit(image(), "turn him into a clown", s).data()), "the prompt matters");
        assertFalse(Arrays.equals(a, pipeline.edit(image(), "make it bronze",
                new InstructPix2PixPipeline.Settings(4, 3, 1.5, 0.7, 7)).data()), "the text scale matters");
        assertFalse(Arrays.equals(a, pipeline.edit(image(), "make it bronze",
                new InstructPix2PixPipeline.Settings(4, 7.5, 2.5, 0.7, 7)).data()), "the image scale matters");
    }

    /** The pipeline written out step by step on the tiny models' weights. */
    static FloatImage reference(FloatImage image, String prompt, InstructPix2PixPipeline.Settings s) {
        float[] text = meanEmbedding(tokenizer.encode(prompt));
        float[] empty = meanEmbedding(tokenizer.encode(""));
        int h = H / 8;
        int w = W / 8;
        int n = 4 * h * w;
        float[] cond = new float[n];
        for (int by = 0; by < h; by++) {
            for (int bx = 0; bx < w; bx++) {
                float[] rgb = new float[3];
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < 8; y++) {
                        for (int x = 0; x < 8; x++) {
                            rgb[c] += (2 * image.get(c, bx * 8 + x, by * 8 + y) - 1) / 64f;
                        }
                    }
                }
                for (int o = 0; o < 4; o++) {
                    float v = tiny.encoderBias[o];
                    for (int c = 0; c < 3; c++) {
                        v += tiny.encoderWeight[o * 3 + c] * rgb[c];
                    }
                    cond[(o * h + by) * w + bx] = v;
                }
            }
        }
        float[] latent = new float[n];
        for (int i = 0; i < n; i++) {
            latent[i] = 0.18215f * cond[i];
        }
        DdimScheduler ddim = new DdimScheduler(NoiseSchedule.stableDiffusion(), s.steps(),
                (int) Math.round(s.noiseLevel() * 1000));
        int[] ts = ddim.timesteps();
        float[] noise = SeededNoise.gaussian(s.seed(), 1, 4, h, w).data();
        double a0 = NoiseSchedule.stableDiffusion().alphaCumprod(ts[0]);
        for (int i = 0; i < n; i++) {
            latent[i] = (float) (Math.sqrt(a0) * latent[i] + Math.sqrt(1 - a0) * noise[i]);
        }
        float[] zero = new float[n];
        for (int t : ts) {
            float[] full = unet(latent, cond, text, t, h, w);
            float[] imageOnly = unet(latent, cond, empty, t, h, w);
            float[] none = unet(latent, zero, empty, t, h, w);
            float[] eps = new float[n];
            for (int i = 0; i < n; i++) {
                eps[i] = (float) (none[i] + s.imageScale() * (imageOnly[i] - none[i])
                        + s.textScale() * (full[i] - imageOnly[i]));
            }
            ddim.step(eps, t, latent);
        }
        FloatImage out = new FloatImage(W, H, 3);
        for (int o = 0; o < 3; o++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    float v = 0;
                    for (int c = 0; c < 4; c++) {
                        v += latent[(c * h + y / 8) * w + x / 8] / 0.18215f * tiny.decoderWeight[c * 3 + o];
                    }
                    out.set(o, x, y, Math.min(1, Math.max(0, 0.5f * v + 0.5f)));
                }
            }
        }
        return out;
    }

    static float[] meanEmbedding(int[] ids) {
        float[] m = new float[TinyModels.D];
        for (int id : ids) {
            for (int d = 0; d < TinyModels.D; d++) {
                m[d] += tiny.embedding[(id % TinyModels.VOCAB) * TinyModels.D + d] / ids.length;
            }
        }
        return m;
    }

    /** The tiny UNet: 1x1 conv over [latent ‖ condition] + text term + timestep · 1e-3. */
    static float[] unet(float[] latent, float[] cond, float[] text, int t, int h, int w) {
        int plane = h * w;
        float[] out = new float[4 * plane];
        for (int o = 0; o < 4; o++) {
            float bias = t * TinyModels.UNET_TIME;
            for (int d = 0; d < TinyModels.D; d++) {
                bias += text[d] * tiny.unetTextWeight[d * 4 + o];
            }
            for (int p = 0; p < plane; p++) {
                float v = bias;
                for (int c = 0; c < 4; c++) {
                    v += tiny.unetSampleWeight8[o * 8 + c] * latent[c * plane + p];
                    v += tiny.unetSampleWeight8[o * 8 + 4 + c] * cond[c * plane + p];
                }
                out[o * plane + p] = v;
            }
        }
        return out;
    }
}
