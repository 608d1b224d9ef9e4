package org.portraitgen.fuzz;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The fixed short budget each harness gets in CI, in the one regression JVM: a seeded number of mutations of its
 * committed inputs (bit flips, interesting integers, inserts, deletes, splices, cuts), fed to the harness method
 * itself. Jazzer's coverage-guided fuzzing needs a JVM per harness and most of a minute to start on a busy 2-core
 * machine, so it runs in {@code releng/fuzz.sh}; this keeps the CI time small and the run repeatable (same seed, same
 * inputs). A failing input is saved under {@code target/short-budget-findings/<Harness>/} to be committed as a test
 * case in the harness's Inputs folder.
 */
class ShortBudgetTest {

    private static final int EXECUTIONS = Integer.getInteger("fuzz.ci.executions", 500);
    private static final long SEED = Long.getLong("fuzz.ci.seed", 1);
    private static final int[] INTERESTING = {0, 1, -1, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff,
            0x80000000, 16, 64, 1000};

    @Timeout(120) // the whole budget of one harness; the pom's 10 s default is per replayed input
    @ParameterizedTest
    @ValueSource(strings = {"org.portraitgen.pipeline.internal.GraphJsonFuzzTest",
            "org.portraitgen.video.internal.FrameStoreFuzzTest", "org.portraitgen.video.internal.FileSnifferFuzzTest",
            "org.portraitgen.video.internal.Mp4BoxesFuzzTest", "org.portraitgen.video.internal.WavReaderFuzzTest",
            "org.portraitgen.farm.slurm.internal.RunRecordFuzzTest",
            "org.portraitgen.field.internal.train.CheckpointsFuzzTest",
            "org.portraitgen.trust.internal.JarInspectorFuzzTest",
            "org.portraitgen.tracking.internal.io.TrackingRigFuzzTest",
            "org.portraitgen.tracking.internal.io.TrackingBinariesFuzzTest",
            "org.portraitgen.field.internal.PlyImportFuzzTest",
            "org.portraitgen.core.onnx.OnnxModelFuzzTest",
            "org.portraitgen.video.internal.ProberFuzzTest",
            "org.portraitgen.tracking.dlib.internal.ShapePredictorFuzzTest",
            "org.portraitgen.tracking.smplx.internal.npy.NpzModelFuzzTest",
            "org.portraitgen.editors.onnx.internal.model.ModelManifestFuzzTest",
            "org.portraitgen.editors.onnx.internal.text.ClipTokenizerFuzzTest"})
    void mutatedCorpus(String harnessClass) throws Exception {
        Class<?> type = Class.forName(harnessClass);
        Method harness = Stream.of(type.getDeclaredMethods()).filter(m -> m.isAnnotationPresent(FuzzTest.class))
                .findFirst().orElseThrow();
        harness.setAccessible(true);
        var ctor = type.getDeclaredConstructor();
        ctor.setAccessible(true);
        Object instance = ctor.newInstance();
        List<byte[]> corpus = corpus(type, harness.getName());
        assertFalse(corpus.isEmpty(), "no committed inputs for " + type.getSimpleName());

        Random random = new Random(SEED ^ harnessClass.hashCode());
        for (int i = 0; i < EXECUTIONS; i++) {
            byte[] input = mutate(corpus, random);
            try {
                harness.invoke(instance, (Object) input);
            } catch (InvocationTargetException e) {
                Path saved = save(type, input);
                throw new AssertionError(type.getSimpleName() + " execution " + i + " failed; input saved as " + saved,
                        e.getCause());
            }
        }
    }

    private static List<byte[]> corpus(Class<?> type, String method) throws IOException, URISyntaxException {
        URL dir = type.getResource(type.getSimpleName() + "Inputs/" + method);
        List<byte[]> inputs = new ArrayList<>();
        if (dir == null) {
            return inputs;
        }
        try (Stream<Path> files = Files.list(Path.of(dir.toURI()))) {
            for (Path f : files.sorted().toList()) {
                inputs.add(Files.readAllBytes(f));
            }
        }
        return inputs;
    }

    static byte[] mutate(List<byte[]> corpus, Random r) {
        byte[] b = corpus.get(r.nextInt(corpus.size())).clone();
        int steps = 1 + r.nextInt(4);
        for (int s = 0; s < steps; s++) {
            switch (r.nextInt(7)) {
                case 0 -> { // flip a bit
                    if (b.length > 0) {
                        b[r.nextInt(b.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> { // an interesting integer, big or little endian, 1 to 4 bytes
                    if (b.length > 0) {
                        int v = INTERESTING[r.nextInt(INTERESTING.length)];
                        int width = 1 + r.nextInt(4);
                        int at = r.nextInt(b.length);
                        boolean big = r.nextBoolean();
                        for (int k = 0; k < width && at + k < b.length; k++) {
                            int shift = 8 * (big ? width - 1 - k : k);
                            b[at + k] = (byte) (v >>> shift);
                        }
                    }
                }
                case 2 -> { // insert random bytes
                    byte[] extra = new byte[1 + r.nextInt(8)];
                    r.nextBytes(extra);
                    b = splice(b, r.nextInt(b.length + 1), 0, extra);
                }
                case 3 -> { // delete a range
                    if (b.length > 0) {
                        int at = r.nextInt(b.length);
                        b = splice(b, at, 1 + r.nextInt(Math.min(16, b.length - at)), new byte[0]);
                    }
                }
                case 4 -> { // duplicate a range
                    if (b.length > 0) {
                        int at = r.nextInt(b.length);
                        byte[] part = Arrays.copyOfRange(b, at, at + 1 + r.nextInt(Math.min(32, b.length - at)));
                        b = splice(b, r.nextInt(b.length + 1), 0, part);
                    }
                }
                case 5 -> { // cut the tail
                    b = Arrays.copyOf(b, r.nextInt(b.length + 1));
                }
                default -> { // splice in a piece of another input
                    byte[] other = corpus.get(r.nextInt(corpus.size()));
                    if (other.length > 0) {
                        int from = r.nextInt(other.length);
                        byte[] part = Arrays.copyOfRange(other, from, from + 1 + r.nextInt(Math.min(64, other.length - from)));
                        b = splice(b, r.nextInt(b.length + 1), 0, part);
                    }
                }
            }
        }
        return b;
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        byte[] out = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
        return out;
    }

    private static Path save(Class<?> type, byte[] input) throws IOException {
        Path dir = Files.createDirectories(Path.of("target", "short-budget-findings", type.getSimpleName()));
        byte[] digest;
        try {
            digest = java.security.MessageDigest.getInstance("SHA-1").digest(input);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return Files.write(dir.resolve("crash-" + HexFormat.of().formatHex(digest)), input);
    }
}
