package org.portraitgen.editors.onnx.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.editors.onnx.internal.diffusion.InstructPix2PixPipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;

/** Each way a model folder can be wrong, and the message that says which file, input and expectation. */
class ModelFolderTest {

    @TempDir
    Path dir;

    static final List<Map<String, Object>> UNET_OUTPUTS = List.of(TinyModels.spec("out_sample", "float32", -1, 4, -1,
            -1));

    /** A UNet's inputs as a manifest declares them, with {@code channels} sample channels. */
    static List<Map<String, Object>> unetInputs(int channels) {
        return List.of(TinyModels.spec("sample", "float32", -1, channels, -1, -1),
                TinyModels.spec("timestep", "int64", -1),
                TinyModels.spec("encoder_hidden_states", "float32", -1, 77, 8));
    }

    private String failure(Path folder) {
        ModelFolderException e = assertThrows(ModelFolderException.class,
                () -> ModelFolder.open(folder, InstructPix2PixPipeline.requirements(), 1).close());
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String p : parts) {
            assertTrue(message.contains(p), "'" + p + "' in: " + message);
        }
    }

    @Test
    void aCompleteFolderOpens() throws Exception {
        TinyModels.pix2pixFolder(dir);
        try (ModelFolder f = ModelFolder.open(dir, InstructPix2PixPipeline.requirements(), 1)) {
            assertTrue(f.file("unet").endsWith(Path.of("unet/model.onnx")));
        }
    }

    @Test
    void missingFolderOrManifest() throws Exception {
        assertMentions(failure(dir.resolve("nowhere")), dir.resolve("nowhere").toString(), "does not exist",
                "README");
        assertMentions(failure(dir), dir.toString(), "manifest.json");
        Files.writeString(dir.resolve("manifest.json"), "{\"name\": \"x\", ");
        assertMentions(failure(dir), "manifest.json", "not valid JSON");
        Files.writeString(dir.resolve("manifest.json"), "{\"name\": \"x\", \"version\": \"1\", \"files\": {\"unet\":"
                + " {\"path\": \"unet.onnx\", \"sha256\": \"abc\"}}}");
        assertMentions(failure(dir), "files.unet.sha256", "64 hex digits");
    }

    @Test
    void missingFileAndRole() throws Exception {
        TinyModels.pix2pixFolder(dir);
        Files.delete(dir.resolve("vae_decoder/model.onnx"));
        assertMentions(failure(dir), dir.resolve("vae_decoder/model.onnx").toString(), "is missing", "vae_decoder");
        TinyModels t = new TinyModels().stableDiffusionParts(dir);
        t.manifest(dir, "no unet");
        assertMentions(failure(dir), "lists no 'unet' file");
    }

    /** Even with the right hash, a model file linked from outside its folder is not loaded. */
    @Test
    void aModelLinkedFromOutsideTheFolderIsRefused() throws Exception {
        TinyModels.pix2pixFolder(dir);
        Path unet = dir.resolve("unet/model.onnx");
        Path outside = Files.createTempFile("planted", ".onnx");
        try {
            Files.move(unet, outside, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.createSymbolicLink(unet, outside);
            assertMentions(failure(dir), unet.toString(), "outside the model folder", outside.toString());
        } finally {
            Files.deleteIfExists(outside);
        }
    }

    @Test
    void hashMismatchNamesTheFileAndBothDigests() throws Exception {
        TinyModels.pix2pixFolder(dir);
        Path unet = dir.resolve("unet/model.onnx");
        byte[] bytes = Files.readAllBytes(unet);
        String expected = TinyModels.sha256(bytes);
        bytes[bytes.length - 1] ^= 1;
        Files.write(unet, bytes);
        assertMentions(failure(dir), unet.toString(), "expects " + expected, TinyModels.sha256(bytes));
    }

    @Test
    void sessionSignatureDiffersFromTheManifest() throws Exception {
        TinyModels t = new TinyModels().stableDiffusionParts(dir);
        // a 4-channel UNet (text-to-image SD) where the manifest promises InstructPix2Pix's 8
        t.put(dir, "unet", "unet/model.onnx", t.unet(4, true),
                unetInputs(8), UNET_OUTPUTS);
        t.manifest(dir, "wrong");
        assertMentions(failure(dir), dir.resolve("unet/model.onnx").toString(), "input 'sample'",
                "expected shape [?, 8, ?, ?], actual [?, 4, ?, ?]");
    }

    @Test
    void missingAndUndeclaredInputsAreNamed() throws Exception {
        TinyModels t = new TinyModels().stableDiffusionParts(dir);
        t.put(dir, "unet", "unet/model.onnx", t.unet(8, false),
                unetInputs(8), UNET_OUTPUTS);
        t.manifest(dir, "no timestep");
        assertMentions(failure(dir), "has no input 'timestep'");
        TinyModels u = new TinyModels().stableDiffusionParts(dir);
        u.put(dir, "unet", "unet/model.onnx", u.unet(8, true),
                List.of(TinyModels.spec("sample", "float32", -1, 8, -1, -1),
                        TinyModels.spec("encoder_hidden_states", "float32", -1, 77, 8)),
                List.of(TinyModels.spec("out_sample", "float32", -1, 4, -1, -1)));
        u.manifest(dir, "undeclared");
        assertMentions(failure(dir), "has input timestep int64", "does not declare",
                "the pipeline needs input 'timestep'");
    }

    @Test
    void aWellDeclaredModelThePipelineCannotUse() throws Exception {
        TinyModels t = new TinyModels().stableDiffusionParts(dir);
        t.put(dir, "unet", "unet/model.onnx", t.unet(4, true),
                unetInputs(4), UNET_OUTPUTS);
        t.manifest(dir, "sd text-to-image");
        assertMentions(failure(dir), "'unet' (unet/model.onnx)", "input 'sample' must have shape [?, 8, ?, ?], "
                + "declared [?, 4, ?, ?]");
    }

    @Test
    void aFileThatIsNoModel() throws Exception {
        TinyModels t = new TinyModels().stableDiffusionParts(dir);
        t.put(dir, "unet", "unet/model.onnx", "not a model".getBytes(), List.of(), List.of());
        t.manifest(dir, "broken");
        assertMentions(failure(dir), dir.resolve("unet/model.onnx").toString(), "not a model ONNX Runtime can load");
    }
}
