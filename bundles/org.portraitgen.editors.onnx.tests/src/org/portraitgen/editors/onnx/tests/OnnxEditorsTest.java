package org.portraitgen.editors.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.diffusion.ModelRunException;
import org.portraitgen.editors.onnx.internal.editors.AnyDoorEditor;
import org.portraitgen.editors.onnx.internal.editors.IcLightEditor;
import org.portraitgen.editors.onnx.internal.editors.InstructPix2PixEditor;
import org.portraitgen.editors.onnx.internal.editors.NeuralStyleEditor;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;

/** The four editors end to end on tiny model folders: mask kept, determinism, options that matter, bad input. */
class OnnxEditorsTest {

    static final int W = 40;
    static final int H = 32;

    @TempDir
    Path dir;

    static FloatImage image() {
        return InstructPix2PixPipelineTest.imageOf(W, H);
    }

    /** The right half is the region to edit. */
    static FloatImage mask() {
        FloatImage m = new FloatImage(W, H, 1);
        for (int y = 0; y < H; y++) {
            for (int x = W / 2; x < W; x++) {
                m.set(0, x, y, 1);
            }
        }
        return m;
    }

    static EditRequest request(FloatImage mask, FloatImage reference, String prompt, double strength, long seed,
            Map<String, Object> params) {
        return new EditRequest(image(), mask, reference, null, prompt, strength, seed, params);
    }

    /** Left half identical to the input, right half changed. */
    static void assertEditedOnlyInTheMask(FloatImage in, FloatImage out) {
        double inside = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    float d = Math.abs(in.get(c, x, y) - out.get(c, x, y));
                    if (x < W / 2) {
                        assertEquals(in.get(c, x, y), out.get(c, x, y), 1e-6, "outside the mask at " + x + "," + y);
                    } else {
                        inside += d;
                    }
                }
            }
        }
        assertTrue(inside / (3.0 * H * W / 2) > 0.01, "the masked half changed, mean " + inside / (1.5 * H * W));
    }

    @Test
    void instructPix2PixEditsTheMaskDeterministically() throws Exception {
        TinyModels.pix2pixFolder(dir);
        InstructPix2PixEditor editor = new InstructPix2PixEditor();
        Map<String, Object> p = Map.of("modelFolder", dir.toString(), "steps", 3, "resolution", 40);
        FloatImage a = editor.edit(request(mask(), null, "make it bronze", 0.65, 1, p));
        assertEditedOnlyInTheMask(image(), a);
        assertArrayEquals(a.data(), editor.edit(request(mask(), null, "make it bronze", 0.65, 1, p)).data());
        assertFalse(Arrays.equals(a.data(), editor.edit(request(mask(), null, "make it bronze", 0.8, 1, p)).data()),
                "the noise level matters");
    }

    @Test
    void icLightRelightsAndTheLightDirectionMatters() throws Exception {
        TinyModels.pix2pixFolder(dir);
        IcLightEditor editor = new IcLightEditor();
        Map<String, Object> p = Map.of("modelFolder", dir.toString(), "steps", 4, "resolution", 40);
        FloatImage none = editor.edit(request(mask(), null, "warm sunset light", 0.9, 3, p));
        assertEditedOnlyInTheMask(image(), none);
        // a light direction starts from its gradient's latent, noised to the strength (here little noise)
        FloatImage left = editor.edit(request(mask(), null, "warm sunset light", 0.3, 3, Map.of("modelFolder",
                dir.toString(), "steps", 4, "resolution", 40, "light", "left")));
        FloatImage right = editor.edit(request(mask(), null, "warm sunset light", 0.3, 3, Map.of("modelFolder",
                dir.toString(), "steps", 4, "resolution", 40, "light", "right")));
        assertEditedOnlyInTheMask(image(), left);
        assertFalse(Arrays.equals(right.data(), left.data()), "the light direction matters");
        assertThrows(IllegalArgumentException.class, () -> editor.edit(request(mask(), null, "x", 0.9, 3,
                Map.of("modelFolder", dir.toString(), "light", "sideways"))));
    }

    @Test
    void icLightWithABackgroundModelUsesTheReferenceAsBackground() throws Exception {
        TinyModels t = new TinyModels().stableDiffusionParts(dir).unet(dir, 12);
        t.manifest(dir, "tiny-iclight-fbc");
        IcLightEditor editor = new IcLightEditor();
        Map<String, Object> p = Map.of("modelFolder", dir.toString(), "steps", 2, "resolution", 40, "light", "top");
        FloatImage plain = editor.edit(request(mask(), null, "neon light", 0.3, 3, p));
        FloatImage withBackground = editor.edit(request(mask(), InstructPix2PixPipelineTest.imageOf(16, 16), "neon "
                + "light", 0.3, 3, p));
        assertEditedOnlyInTheMask(image(), withBackground);
        assertFalse(Arrays.equals(plain.data(), withBackground.data()), "the background reaches the result");

        Path six = dir.resolve("six");
        new TinyModels().stableDiffusionParts(six).unet(six, 6).manifest(six, "tiny-iclight-6");
        ModelFolderException e = assertThrows(ModelFolderException.class, () -> editor.edit(request(mask(), null,
                "neon light", 0.3, 3, Map.of("modelFolder", six.toString()))));
        assertTrue(e.getMessage().contains("8 channels") && e.getMessage().contains("declared 6"), e.getMessage());
    }

    @Test
    void anyDoorInsertsTheReferenceIntoTheMask() throws Exception {
        TinyModels.anyDoorFolder(dir);
        AnyDoorEditor editor = new AnyDoorEditor();
        Map<String, Object> p = Map.of("modelFolder", dir.toString(), "steps", 3, "resolution", 64);
        FloatImage ref = InstructPix2PixPipelineTest.imageOf(20, 30);
        FloatImage a = editor.edit(request(mask(), ref, null, 1, 5, p));
        assertEditedOnlyInTheMask(image(), a);
        assertArrayEquals(a.data(), editor.edit(request(mask(), ref, null, 1, 5, p)).data());
        FloatImage other = editor.edit(request(mask(), new FloatImage(20, 30, 3), null, 1, 5, p));
        assertFalse(Arrays.equals(a.data(), other.data()), "the reference reaches the result");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> editor.edit(request(new FloatImage(W, H, 1), ref, null, 1, 5, p)));
        assertTrue(e.getMessage().contains("mask is empty"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> editor.edit(request(mask(), null, null, 1, 5, p)));
        assertTrue(e.getMessage().contains("reference image"), e.getMessage());
    }

    @Test
    void neuralStyleMovesColourStatisticsToTheStyle() throws Exception {
        TinyModels.styleFolder(dir);
        NeuralStyleEditor editor = new NeuralStyleEditor();
        FloatImage style = new FloatImage(16, 16, 3);
        // close to the content's means (about 0.5), so nothing is clamped
        Arrays.fill(style.data(), 0, 256, 0.55f);
        Arrays.fill(style.data(), 256, 768, 0.45f);
        Map<String, Object> p = Map.of("modelFolder", dir.toString(), "resolution", 40);
        FloatImage out = editor.edit(new EditRequest(image(), null, style, null, null, 1, 0, p));
        // α = 1: each channel's mean becomes the style's (before clamping; the test image stays inside [0, 1])
        double red = 0;
        for (int i = 0; i < W * H; i++) {
            red += out.data()[i];
        }
        assertEquals(0.55, red / (W * H), 1e-4);
        assertEditedOnlyInTheMask(image(), editor.edit(new EditRequest(image(), mask(), style, null, null, 1, 0, p)));
    }

    @Test
    void badRequestsNameTheParameter() throws Exception {
        TinyModels.pix2pixFolder(dir);
        EditorProvider editor = new InstructPix2PixEditor();
        Map<String, Object> p = Map.of("modelFolder", dir.toString());
        assertMessage(editor, request(mask(), null, "  ", 0.6, 0, p), "prompt is required");
        assertMessage(editor, new EditRequest(image(), new FloatImage(W - 1, H, 1), null, null, "x", 0.6, 0, p),
                "mask must be 1 channel of 40x32", "39x32");
        assertMessage(editor, request(null, null, "x", 0.6, 0, Map.of("modelFolder", dir.toString(), "steps", 0)),
                "'steps'", "[1.0, 100.0]");
        assertMessage(editor, request(null, null, "x", 0.6, 0, Map.of("stepz", 3)), "'stepz' is not one of");
        assertMessage(editor, request(null, null, "x", 0, 0, p), "strength (the noise level) must be above 0");
    }

    @Test
    void aMissingModelFolderSaysWhereAndHow() {
        Path nowhere = dir.resolve("absent");
        ModelFolderException e = assertThrows(ModelFolderException.class, () -> new InstructPix2PixEditor().edit(
                request(null, null, "x", 0.6, 0, Map.of("modelFolder", nowhere.toString()))));
        assertTrue(e.getMessage().contains(nowhere.toString()) && e.getMessage().contains("README"), e.getMessage());
    }

    @Test
    void outOfMemoryInOnnxRuntimeIsReportedWithModelAndShapes() throws Exception {
        TinyModels.hugeDecoderFolder(dir);
        ModelRunException e = assertThrows(ModelRunException.class, () -> new InstructPix2PixEditor().edit(
                request(null, null, "x", 0.6, 0, Map.of("modelFolder", dir.toString(), "steps", 1, "resolution",
                        40))));
        assertTrue(e.getMessage().contains("'vae_decoder'") && e.getMessage().contains("ran out of memory")
                && e.getMessage().contains("latent_sample [1, 4, 4, 5]"), e.getMessage());
    }

    private static void assertMessage(EditorProvider editor, EditRequest r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> editor.edit(r));
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
        }
    }
}
