package org.portraitgen.editors.onnx.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.portraitgen.core.onnx.OnnxModel;

/**
 * Tiny stand-ins of the real exports, written at test time: the same roles, input and output names, dtypes and
 * ranks, with hidden size {@value #D}, and linear in what the pipelines feed them, so a test can compute the expected
 * result by hand. Weights come from a fixed seed and are public here for those hand computations.
 */
final class TinyModels {

    static final int D = 8;
    static final int VOCAB = 97;

    /** text encoder: embedding of (id mod 97), [97, D] */
    final float[] embedding = random(1, VOCAB * D, 1f);
    /** VAE encoder: 1x1 conv [8, 3] + bias [8] on the 8x8 average pool */
    final float[] encoderWeight = random(2, 8 * 3, 0.8f);
    final float[] encoderBias = random(3, 8, 0.2f);
    /** VAE decoder: every pixel of a latent's 8x8 block = Σ_c latent_c · decoderWeight[c][rgb], [4, 3] */
    final float[] decoderWeight = random(4, 4 * 3, 0.5f);
    /** UNet: 1x1 conv [4, C] on the sample, text term [D, 4] on the mean embedding, timestep · 1e-3 */
    final float[] unetSampleWeight8 = random(5, 4 * 8, 0.3f);
    final float[] unetTextWeight = random(6, D * 4, 0.6f);
    static final float UNET_TIME = 1e-3f;

    private final Map<String, Map<String, Object>> files = new LinkedHashMap<>();

    static float[] random(long seed, int n, float scale) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (r.nextGaussian() * scale);
        }
        return v;
    }

    // ---- model graphs ----

    byte[] textEncoder() {
        OnnxModel m = new OnnxModel();
        m.input("input_ids", OnnxModel.INT32, "B", 77L);
        m.floats("table", embedding, VOCAB, D);
        String ids = m.op("Cast", new String[] {"input_ids"}, "to", 7L);
        String mod = m.op("Mod", new String[] {ids, m.ints(VOCAB)});
        m.node("Gather", new String[] {"table", mod}, new String[] {"last_hidden_state"}, "axis", 0L);
        m.output("last_hidden_state", OnnxModel.FLOAT, "B", 77L, (long) D);
        return m.toBytes("text_encoder");
    }

    byte[] vaeEncoder() {
        OnnxModel m = new OnnxModel();
        m.input("sample", OnnxModel.FLOAT, "B", 3L, "H", "W");
        m.floats("we", encoderWeight, 8, 3, 1, 1);
        m.floats("be", encoderBias, 8);
        String pooled = m.op("AveragePool", new String[] {"sample"}, "kernel_shape", new long[] {8, 8}, "strides",
                new long[] {8, 8});
        m.node("Conv", new String[] {pooled, "we", "be"}, new String[] {"latent_parameters"});
        m.output("latent_parameters", OnnxModel.FLOAT, "B", 8L, "h", "w");
        return m.toBytes("vae_encoder");
    }

    byte[] vaeDecoder() {
        OnnxModel m = new OnnxModel();
        m.input("latent_sample", OnnxModel.FLOAT, "B", 4L, "h", "w");
        float[] w = new float[4 * 3 * 64];
        for (int c = 0; c < 4; c++) {
            for (int o = 0; o < 3; o++) {
                java.util.Arrays.fill(w, (c * 3 + o) * 64, (c * 3 + o + 1) * 64, decoderWeight[c * 3 + o]);
            }
        }
        m.floats("wd", w, 4, 3, 8, 8);
        m.node("ConvTranspose", new String[] {"latent_sample", "wd"}, new String[] {"sample"}, "strides",
                new long[] {8, 8});
        m.output("sample", OnnxModel.FLOAT, "B", 3L, "H", "W");
        return m.toBytes("vae_decoder");
    }

    /** A VAE decoder whose output is far beyond any machine's memory: ONNX Runtime's allocation fails. */
    static byte[] hugeDecoder() {
        OnnxModel m = new OnnxModel();
        m.input("latent_sample", OnnxModel.FLOAT, "B", 4L, "h", "w");
        String one = m.op("ReduceMean", new String[] {"latent_sample"}, "keepdims", 0L);
        m.node("Expand", new String[] {one, m.ints(1, 3, 1L << 20, 1L << 20)}, new String[] {"sample"});
        m.output("sample", OnnxModel.FLOAT, "B", 3L, "H", "W");
        return m.toBytes("huge");
    }

    /** UNet with {@code channels} sample channels and the diffusers/Optimum names. */
    byte[] unet(int channels, boolean withTimestep) {
        OnnxModel m = new OnnxModel();
        m.input("sample", OnnxModel.FLOAT, "B", (long) channels, "h", "w");
        if (withTimestep) {
            m.input("timestep", OnnxModel.INT64, "B");
        }
        m.input("encoder_hidden_states", OnnxModel.FLOAT, "B", 77L, (long) D);
        float[] ws = java.util.Arrays.copyOf(unetSampleWeight8, 4 * channels);
        if (channels != 8) {
            ws = random(5, 4 * channels, 0.3f);
        }
        m.floats("ws", ws, 4, channels, 1, 1);
        m.floats("wt", unetTextWeight, D, 4);
        String a = m.op("Conv", new String[] {"sample", "ws"});
        String mean = m.op("ReduceMean", new String[] {"encoder_hidden_states"}, "axes", new long[] {1},
                "keepdims", 0L);
        String text = m.op("Reshape", new String[] {m.op("MatMul", new String[] {mean, "wt"}),
            m.ints(-1, 4, 1, 1)});
        String sum = m.op("Add", new String[] {a, text});
        if (withTimestep) {
            String t = m.op("Cast", new String[] {"timestep"}, "to", 1L);
            String ts = m.op("Reshape", new String[] {m.op("Mul", new String[] {t, m.scalar(UNET_TIME)}),
                m.ints(-1, 1, 1, 1)});
            sum = m.op("Add", new String[] {sum, ts});
        }
        m.node("Identity", new String[] {sum}, new String[] {"out_sample"});
        m.output("out_sample", OnnxModel.FLOAT, "B", 4L, "h", "w");
        return m.toBytes("unet");
    }

    // ---- folders ----

    /** Writes a file of the folder and records it for the manifest. */
    TinyModels put(Path folder, String role, String path, byte[] bytes, List<Map<String, Object>> inputs,
            List<Map<String, Object>> outputs) throws IOException {
        Path p = folder.resolve(path);
        Files.createDirectories(p.getParent());
        Files.write(p, bytes);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("sha256", sha256(bytes));
        if (!inputs.isEmpty() || !outputs.isEmpty()) {
            f.put("inputs", inputs);
            f.put("outputs", outputs);
        }
        files.put(role, f);
        return this;
    }

    static Map<String, Object> spec(String name, String dtype, long... shape) {
        List<Long> dims = new ArrayList<>();
        for (long d : shape) {
            dims.add(d);
        }
        return Map.of("name", name, "dtype", dtype, "shape", dims);
    }

    void manifest(Path folder, String name) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("name", name);
        root.put("version", "test");
        root.put("files", files);
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(folder.resolve("manifest.json").toFile(),
                root);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Tokenizer, text encoder and VAE as every Stable Diffusion folder has them. */
    TinyModels stableDiffusionParts(Path folder) throws IOException {
        Path vocab = ClipVocabulary.folder();
        put(folder, "tokenizer_vocab", "tokenizer/vocab.json", Files.readAllBytes(vocab.resolve("vocab.json")),
                List.of(), List.of());
        put(folder, "tokenizer_merges", "tokenizer/merges.txt", Files.readAllBytes(vocab.resolve("merges.txt")),
                List.of(), List.of());
        put(folder, "text_encoder", "text_encoder/model.onnx", textEncoder(),
                List.of(spec("input_ids", "int32", -1, 77)), List.of(spec("last_hidden_state", "float32", -1, 77, D)));
        put(folder, "vae_encoder", "vae_encoder/model.onnx", vaeEncoder(),
                List.of(spec("sample", "float32", -1, 3, -1, -1)),
                List.of(spec("latent_parameters", "float32", -1, 8, -1, -1)));
        put(folder, "vae_decoder", "vae_decoder/model.onnx", vaeDecoder(),
                List.of(spec("latent_sample", "float32", -1, 4, -1, -1)),
                List.of(spec("sample", "float32", -1, 3, -1, -1)));
        return this;
    }

    TinyModels unet8(Path folder) throws IOException {
        return unet(folder, 8);
    }

    /** The UNet with {@code channels} sample channels (IC-Light fbc: 12). */
    TinyModels unet(Path folder, int channels) throws IOException {
        return put(folder, "unet", "unet/model.onnx", unet(channels, true),
                List.of(spec("sample", "float32", -1, channels, -1, -1), spec("timestep", "int64", -1),
                        spec("encoder_hidden_states", "float32", -1, 77, D)),
                List.of(spec("out_sample", "float32", -1, 4, -1, -1)));
    }

    /** A complete InstructPix2Pix (or IC-Light: same signature) folder. */
    static TinyModels pix2pixFolder(Path folder) throws IOException {
        TinyModels t = new TinyModels().stableDiffusionParts(folder).unet8(folder);
        t.manifest(folder, "tiny-instruct-pix2pix");
        return t;
    }

    /** AnyDoor: image encoder (7x7 pooled patches → D), UNet with context and a 4-channel control, VAE decoder. */
    static TinyModels anyDoorFolder(Path folder) throws IOException {
        TinyModels t = new TinyModels();
        OnnxModel enc = new OnnxModel();
        enc.input("image", OnnxModel.FLOAT, "B", 3L, 224L, 224L);
        enc.floats("wp", random(7, 3 * D, 1f), 3, D);
        String pooled = enc.op("AveragePool", new String[] {"image"}, "kernel_shape", new long[] {32, 32}, "strides",
                new long[] {32, 32});
        String tokens = enc.op("Transpose", new String[] {enc.op("Reshape", new String[] {pooled,
            enc.ints(0, 3, 49)})}, "perm", new long[] {0, 2, 1});
        enc.node("MatMul", new String[] {tokens, "wp"}, new String[] {"embeddings"});
        enc.output("embeddings", OnnxModel.FLOAT, "B", 49L, (long) D);
        t.put(folder, "image_encoder", "image_encoder/model.onnx", enc.toBytes("image_encoder"),
                List.of(spec("image", "float32", -1, 3, 224, 224)), List.of(spec("embeddings", "float32", -1, 49, D)));

        OnnxModel u = new OnnxModel();
        u.input("sample", OnnxModel.FLOAT, "B", 4L, "h", "w");
        u.input("timestep", OnnxModel.INT64, "B");
        u.input("context", OnnxModel.FLOAT, "B", 49L, (long) D);
        u.input("control", OnnxModel.FLOAT, "B", 4L, "H", "W");
        u.floats("ws", random(8, 16, 0.3f), 4, 4, 1, 1);
        u.floats("wc", random(9, 16, 0.5f), 4, 4, 1, 1);
        u.floats("wt", random(10, D * 4, 0.6f), D, 4);
        String a = u.op("Conv", new String[] {"sample", "ws"});
        String ctl = u.op("Conv", new String[] {u.op("AveragePool", new String[] {"control"}, "kernel_shape",
            new long[] {8, 8}, "strides", new long[] {8, 8}), "wc"});
        String mean = u.op("ReduceMean", new String[] {"context"}, "axes", new long[] {1}, "keepdims", 0L);
        String ctx = u.op("Reshape", new String[] {u.op("MatMul", new String[] {mean, "wt"}), u.ints(-1, 4, 1, 1)});
        u.node("Add", new String[] {u.op("Add", new String[] {a, ctl}), ctx}, new String[] {"out_sample"});
        u.output("out_sample", OnnxModel.FLOAT, "B", 4L, "h", "w");
        t.put(folder, "unet", "unet/model.onnx", u.toBytes("unet"),
                List.of(spec("sample", "float32", -1, 4, -1, -1), spec("timestep", "int64", -1),
                        spec("context", "float32", -1, 49, D), spec("control", "float32", -1, 4, -1, -1)),
                List.of(spec("out_sample", "float32", -1, 4, -1, -1)));
        t.put(folder, "vae_decoder", "vae_decoder/model.onnx", t.vaeDecoder(),
                List.of(spec("latent_sample", "float32", -1, 4, -1, -1)),
                List.of(spec("sample", "float32", -1, 3, -1, -1)));
        t.manifest(folder, "tiny-anydoor");
        return t;
    }

    /**
     * Neural style: AdaIN's mean part on pixels, stylized = content + α · (mean(style) − mean(content)) per channel,
     * so a test knows the output's channel means.
     */
    static TinyModels styleFolder(Path folder) throws IOException {
        TinyModels t = new TinyModels();
        OnnxModel m = new OnnxModel();
        m.input("content", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        m.input("style", OnnxModel.FLOAT, 1L, 3L, "Hs", "Ws");
        m.input("alpha", OnnxModel.FLOAT, 1L);
        String mc = m.op("ReduceMean", new String[] {"content"}, "axes", new long[] {2, 3}, "keepdims", 1L);
        String ms = m.op("ReduceMean", new String[] {"style"}, "axes", new long[] {2, 3}, "keepdims", 1L);
        String shift = m.op("Mul", new String[] {m.op("Sub", new String[] {ms, mc}), "alpha"});
        m.node("Add", new String[] {"content", shift}, new String[] {"stylized"});
        m.output("stylized", OnnxModel.FLOAT, 1L, 3L, "H", "W");
        t.put(folder, "style", "adain.onnx", m.toBytes("style"),
                List.of(spec("content", "float32", 1, 3, -1, -1), spec("style", "float32", 1, 3, -1, -1),
                        spec("alpha", "float32", 1)),
                List.of(spec("stylized", "float32", 1, 3, -1, -1)));
        t.manifest(folder, "tiny-adain");
        return t;
    }

    /** A pix2pix folder whose VAE decoder asks for terabytes. */
    static void hugeDecoderFolder(Path folder) throws IOException {
        TinyModels t = new TinyModels().stableDiffusionParts(folder).unet8(folder);
        t.put(folder, "vae_decoder", "vae_decoder/model.onnx", hugeDecoder(),
                List.of(spec("latent_sample", "float32", -1, 4, -1, -1)),
                List.of(spec("sample", "float32", -1, 3, -1, -1)));
        t.manifest(folder, "huge");
    }
}
