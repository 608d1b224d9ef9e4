package org.portraitgen.field.internal.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.portraitgen.core.onnx.OnnxModel;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.Conv2d;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.cnn.PhaseImage;
import org.portraitgen.field.internal.cnn.WinogradCnn;
import org.portraitgen.field.internal.cnn.WinogradConv;
import org.portraitgen.field.internal.ort.OrtCnn;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * The fused Winograd convolutions in plain Java ({@link WinogradConv}, F(2x2, 3x3) and F(4x4, 3x3)) against ONNX
 * Runtime's frozen (pre-packed, blocked NCHWc) convolutions: the renderer's heaviest layer (layer 1, 128 → 64 +
 * ReLU) alone, and the whole frozen forward pass as rendering runs it (planar features in, RGB out). All variants
 * run back to back in every round, so a neighbour's load hits them alike; medians over the rounds. Reported per
 * variant: wall, the calling thread's CPU time and the process CPU time (every thread, ORT's native ones included,
 * from /proc/self/task/N/schedstat), the speed-up over ORT in process CPU time, and the relative L2 difference from
 * ORT's output. Not a test: nothing is asserted. Run like FieldBench:
 *
 * <pre>
 * java -cp bundles/org.portraitgen.field/target/classes:bundles/org.portraitgen.api/target/classes:\
 * bundles/org.portraitgen.core/target/classes:$HOME/.m2/repository/com/microsoft/onnxruntime/onnxruntime/1.29.0/onnxruntime-1.29.0.jar \
 *   org.portraitgen.field.internal.bench.WinogradBench [threads=2] [rounds=9] [size=256] [tilesPerBand=128,256]
 * </pre>
 */
public final class WinogradBench {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private WinogradBench() {
    }

    /** One timed variant; with keep, it returns its output (planar) for the accuracy column, untimed. */
    private interface Variant {
        float[] run(boolean keep) throws OrtException;
    }

    public static void main(String[] args) throws OrtException {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        int size = args.length > 2 ? Integer.parseInt(args[2]) : 256;
        String[] bandArg = (args.length > 3 ? args[3] : "128,256").split(",");
        System.out.printf("machine: %s, %d cores (%s), %s %s; threads %d; %dx%d; load average at start %s%n",
                System.getProperty("os.arch"), Runtime.getRuntime().availableProcessors(), FieldBench.cpuModel(),
                System.getProperty("java.vm.name"), System.getProperty("java.vm.version"), threads, size, size,
                FieldBench.loadAverage());
        NeuralRenderer net = NeuralRenderer.initialised(32, 5);
        Random rnd = new Random(5);
        float[] features = new float[32 * size * size];
        for (int i = 0; i < features.length; i++) {
            features[i] = (float) rnd.nextGaussian();
        }
        Conv2d layer1 = net.layers[1];
        // layer 1's input: ReLU of Gaussian noise, as a ReLU layer's output looks
        float[] act = new float[layer1.inChannels * size * size];
        for (int i = 0; i < act.length; i++) {
            act[i] = Math.max(0f, (float) rnd.nextGaussian());
        }
        Map<String, Variant> variants = new LinkedHashMap<>();
        List<AutoCloseable> closing = new ArrayList<>();
        try (Workers workers = new Workers(threads)) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions o = new OrtSession.SessionOptions();
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            o.addConfigEntry("session.intra_op.allow_spinning", "0");
            closing.add(o);
            OrtSession layerSession = env.createSession(singleLayer(layer1), o);
            closing.add(layerSession);
            OnnxTensor actTensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(act),
                    new long[] {1, layer1.inChannels, size, size});
            closing.add(actTensor);
            variants.put("layer 1: ORT frozen Conv+Relu (tensors in/out)", keep -> {
                try (OrtSession.Result r = layerSession.run(Map.of("x", actTensor))) {
                    if (!keep) {
                        return null;
                    }
                    FloatBuffer b = ((OnnxTensor) r.get(0)).getFloatBuffer();
                    float[] out = new float[b.remaining()];
                    b.get(out);
                    return out;
                }
            });
            for (int m : new int[] {2, 4}) {
                for (String band : bandArg) {
                    WinogradConv wc = new WinogradConv(layer1, m, Integer.parseInt(band.trim()));
                    PhaseImage in = PhaseImage.fromPlanar(act, layer1.inChannels, size, size, m);
                    variants.put("layer 1: Winograd F(" + m + "x" + m + "), " + band + " tiles/band (phase layout)",
                            keep -> {
                                PhaseImage out = wc.forward(in, true, workers);
                                return keep ? out.toPlanar() : null;
                            });
                }
            }
            OrtCnn frozen = OrtCnn.frozen(net, threads);
            closing.add(frozen);
            variants.put("forward: ORT frozen (OrtCnn.frozen)", keep -> {
                try (CnnEngine.Pass p = frozen.forward(net, features, size, size)) {
                    return p.rgb().clone();
                }
            });
            for (int m : new int[] {2, 4}) {
                for (String band : bandArg) {
                    WinogradCnn engine = new WinogradCnn(net, workers, m, Integer.parseInt(band.trim()));
                    variants.put("forward: Winograd F(" + m + "x" + m + "), " + band + " tiles/band", keep -> {
                        try (CnnEngine.Pass p = engine.forward(net, features, size, size)) {
                            return p.rgb();
                        }
                    });
                }
            }
            // the per-element products alone, at every 3x3 layer's shapes over the whole image: the floor of a
            // fused Winograd forward whose transforms cost nothing
            for (int m : new int[] {2, 4}) {
                int tilesPerBand = Integer.parseInt(bandArg[bandArg.length - 1].trim());
                variants.put("forward floor: F(" + m + "x" + m + ") products only, all 3x3 layers, " + tilesPerBand
                        + " tiles/band", keep -> {
                            for (int i = 0; i < net.layers.length - 1; i++) {
                                productsOnly(net.layers[i], m, size, tilesPerBand, workers);
                            }
                            return null;
                        });
            }
            run(variants, rounds);
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                try {
                    closing.get(i).close();
                } catch (Exception e) {
                    System.err.println("closing: " + e);
                }
            }
        }
        System.out.println("load average at end " + FieldBench.loadAverage());
    }

    private static void run(Map<String, Variant> variants, int rounds) throws OrtException {
        Map<String, float[]> outputs = new LinkedHashMap<>();
        Map<String, List<long[]>> times = new LinkedHashMap<>();
        for (int round = -2; round < rounds; round++) {
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                long wall0 = System.nanoTime();
                long thread0 = THREADS.getCurrentThreadCpuTime();
                long cpu0 = FieldBench.processCpuNanos();
                float[] out = v.getValue().run(round < 0);
                long cpu1 = FieldBench.processCpuNanos();
                long thread1 = THREADS.getCurrentThreadCpuTime();
                long wall1 = System.nanoTime();
                if (round < 0) {
                    outputs.putIfAbsent(v.getKey(), out);
                    continue;
                }
                times.computeIfAbsent(v.getKey(), k -> new ArrayList<>())
                        .add(new long[] {wall1 - wall0, thread1 - thread0, cpu1 - cpu0});
            }
        }
        System.out.println();
        System.out.println("| variant | wall ms | calling thread CPU ms | process CPU ms | speed-up vs ORT (process CPU) "
                + "| rel. L2 vs ORT |");
        System.out.println("|---|---|---|---|---|---|");
        double ortCpu = Double.NaN;
        float[] ortOut = null;
        for (Map.Entry<String, List<long[]>> e : times.entrySet()) {
            String name = e.getKey();
            double wall = median(e.getValue(), 0) / 1e6;
            double thread = median(e.getValue(), 1) / 1e6;
            double cpu = median(e.getValue(), 2) / 1e6;
            if (name.contains("ORT")) {
                ortCpu = cpu;
                ortOut = outputs.get(name);
            }
            System.out.printf("| %s | %.1f | %.1f | %.1f | %.2fx | %s |%n", name, wall, thread, cpu, ortCpu / cpu,
                    name.contains("ORT") ? "(reference)" : outputs.get(name) == null ? "n/a"
                            : String.format("%.2e", relL2(outputs.get(name), ortOut)));
        }
    }

    private static final ThreadLocal<Map<String, float[][][]>> PRODUCT_SCRATCH = ThreadLocal.withInitial(
            LinkedHashMap::new);

    /** The work of WinogradConv.multiply for one layer over a size x size image, bands split over the workers. */
    private static void productsOnly(Conv2d c, int m, int size, int tilesPerBand, Workers workers) {
        int n = m + 2;
        int cinP = (c.inChannels + 3) / 4 * 4;
        int coutP = (c.outChannels + 3) / 4 * 4;
        int tilesX = (size + m - 1) / m;
        int tiles = tilesX * tilesX;
        int band = Math.max(1, Math.round(tilesPerBand / (float) tilesX)) * tilesX;
        float[] u = new float[cinP * coutP];
        Arrays.fill(u, 0.01f);
        workers.forEach((tiles + band - 1) / band, item -> {
            float[][][] s = PRODUCT_SCRATCH.get().computeIfAbsent(cinP + "x" + coutP + "x" + band + "x" + n,
                    k -> new float[][][] {new float[n * n * cinP][band], new float[n * n * coutP][band]});
            int count = Math.min(band, tiles - item * band);
            for (int e = 0; e < n * n; e++) {
                WinogradConv.multiply(s[0], e * cinP, u, s[1], e * coutP, cinP, coutP, count);
            }
        });
    }

    /** Conv(3x3, pad 1) + Relu with the layer's weights as constants: ORT pre-packs them (NCHWc on AVX-512). */
    private static byte[] singleLayer(Conv2d c) {
        OnnxModel m = new OnnxModel();
        m.input("x", OnnxModel.FLOAT, 1L, (long) c.inChannels, "H", "W");
        m.floats("w", c.weights, c.outChannels, c.inChannels, c.kernel, c.kernel);
        m.floats("b", c.bias, c.outChannels);
        String y = m.op("Conv", new String[] {"x", "w", "b"}, "kernel_shape", new long[] {3, 3}, "pads",
                new long[] {1, 1, 1, 1});
        m.node("Relu", new String[] {y}, new String[] {"y"});
        m.output("y", OnnxModel.FLOAT, 1L, (long) c.outChannels, "H", "W");
        return m.toBytes("layer");
    }

    private static double relL2(float[] a, float[] ref) {
        if (a == null || ref == null || a.length != ref.length) {
            return Double.NaN;
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - ref[i];
            num += d * d;
            den += (double) ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    private static double median(List<long[]> values, int kind) {
        long[] s = values.stream().mapToLong(v -> v[kind]).sorted().toArray();
        int mid = s.length / 2;
        return s.length % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2.0;
    }
}
