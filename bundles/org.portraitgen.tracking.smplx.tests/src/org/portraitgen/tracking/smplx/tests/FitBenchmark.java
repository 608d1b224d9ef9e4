package org.portraitgen.tracking.smplx.tests;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.fit.Pinhole;
import org.portraitgen.tracking.smplx.internal.fit.Silhouette;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelLoader;

/**
 * Fitting speed per frame on a synthetic model of SMPL-X's size (about 10k vertices, 55 joints, 300 + 100 blend
 * components, 486 pose correctives, 105 landmarks), or on a real model file given as the first argument. Prints a
 * table with wall and CPU time (the fit is single-threaded; CPU time is the figure to trust on a loaded machine).
 * <pre>
 * java -cp &lt;classes of tracking.smplx and its tests, api, jackson&gt; org.portraitgen.tracking.smplx.tests.FitBenchmark [MODEL.npz] [FRAMES]
 * </pre>
 */
public final class FitBenchmark {

    public static void main(String[] args) throws Exception {
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long w0 = System.nanoTime(), c0 = threads.getCurrentThreadCpuTime();
        BodyModel m;
        String source;
        if (args.length > 0 && !args[0].isEmpty()) {
            m = ModelLoader.load(Path.of(args[0]));
            source = args[0];
        } else {
            Path f = Files.createTempFile("smplx-sized", ".npz");
            SyntheticModel.smplxSized(100, 105).write(f);
            m = ModelLoader.load(f);
            Files.delete(f);
            source = "synthetic, SMPL-X sized";
        }
        double loadS = (System.nanoTime() - w0) / 1e9, loadCpuS = (threads.getCurrentThreadCpuTime() - c0) / 1e9;
        BodyEvaluator body = new BodyEvaluator(m);
        Pinhole cam = new Pinhole(600, 600, 256, 256);
        List<double[]> obs = new ArrayList<>();
        List<BodyParams> truths = new ArrayList<>();
        double[] shape = new double[10];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = 0.5 * Math.sin(i);
        }
        for (int f = 0; f < frames; f++) {
            BodyParams p = BodyParams.zero(10, 10, m.jointCount);
            System.arraycopy(shape, 0, p.shape(), 0, 10);
            for (int e = 0; e < 10; e++) {
                p.expression()[e] = Math.sin(0.2 * f + e);
            }
            p.pose()[0] = Math.PI + 0.05 * Math.sin(0.3 * f);
            int[] face = m.kind.faceJoints(m.jointCount);
            for (int j = 1; j < face.length; j++) {
                p.pose()[3 * face[j]] = 0.1 * Math.sin(0.25 * f + j);
            }
            p.translation()[1] = -0.12;
            p.translation()[2] = 0.7;
            obs.add(FitRecoveryTest.project(body, p, cam));
            truths.add(p);
        }
        // the landmark indices of a real file name MediaPipe points: size the observations to 468
        List<double[]> padded = new ArrayList<>();
        for (double[] o : obs) {
            padded.add(java.util.Arrays.copyOf(o, Math.max(o.length, 2 * 468)));
        }
        FitSettings warmOnly = FitSettings.DEFAULT.withIterations(15);
        warmOnly = new FitSettings(10, 10, warmOnly.landmarkSigmaPx(), warmOnly.posePrior(),
                warmOnly.expressionPrior(), warmOnly.shapePrior(), warmOnly.smoothness(), 15, 0);
        new ClipFitter(body, cam, warmOnly).fit(padded.subList(0, Math.min(3, frames)), null); // JIT warm-up
        long w1 = System.nanoTime(), c1 = threads.getCurrentThreadCpuTime();
        ClipFitter.Result seq = new ClipFitter(body, cam, warmOnly).fit(padded, null);
        double seqS = (System.nanoTime() - w1) / 1e9, seqCpu = (threads.getCurrentThreadCpuTime() - c1) / 1e9;
        long w2 = System.nanoTime(), c2 = threads.getCurrentThreadCpuTime();
        ClipFitter.Result full = new ClipFitter(body, cam, FitSettings.DEFAULT).fit(padded, null);
        double fullS = (System.nanoTime() - w2) / 1e9, fullCpu = (threads.getCurrentThreadCpuTime() - c2) / 1e9;
        long w3 = System.nanoTime(), c3 = threads.getCurrentThreadCpuTime();
        for (ClipFitter.FrameFit f : full.frames()) {
            body.vertices(body.pose(f.params()));
        }
        double meshS = (System.nanoTime() - w3) / 1e9, meshCpu = (threads.getCurrentThreadCpuTime() - c3) / 1e9;
        // with body keypoints (projected joints) and a person mask (the true mesh rasterised at 512²)
        boolean bodyModel = org.portraitgen.tracking.smplx.internal.fit.BodyKeypoints.applies(m.kind);
        double bodyS = Double.NaN, bodyCpu = Double.NaN, bodyRms = Double.NaN;
        double kpS = Double.NaN, kpCpu = Double.NaN, kpRms = Double.NaN;
        if (bodyModel) {
            List<ClipFitter.Frame> withBody = new ArrayList<>(), keypointsOnly = new ArrayList<>();
            for (int f = 0; f < frames; f++) {
                keypointsOnly.add(new ClipFitter.Frame(padded.get(f), BodyTermsTest.keypoints(body, truths.get(f), cam),
                        null));
                withBody.add(new ClipFitter.Frame(padded.get(f), BodyTermsTest.keypoints(body, truths.get(f), cam),
                        new Silhouette(BodyTermsTest.renderMask(body, truths.get(f), cam, 512, 512), 512, 512, 0.5)));
            }
            long w5 = System.nanoTime(), c5 = threads.getCurrentThreadCpuTime();
            ClipFitter.Result k = new ClipFitter(body, cam, FitSettings.DEFAULT, ClipFitter.BodyTerms.DEFAULT)
                    .fitClip(keypointsOnly, null);
            kpS = (System.nanoTime() - w5) / 1e9;
            kpCpu = (threads.getCurrentThreadCpuTime() - c5) / 1e9;
            kpRms = k.meanRmsPx();
            long w4 = System.nanoTime(), c4 = threads.getCurrentThreadCpuTime();
            ClipFitter.Result r = new ClipFitter(body, cam, FitSettings.DEFAULT, ClipFitter.BodyTerms.DEFAULT)
                    .fitClip(withBody, null);
            bodyS = (System.nanoTime() - w4) / 1e9;
            bodyCpu = (threads.getCurrentThreadCpuTime() - c4) / 1e9;
            bodyRms = r.meanRmsPx();
        }
        String load = Files.exists(Path.of("/proc/loadavg")) ? Files.readString(Path.of("/proc/loadavg")).trim() : "?";
        System.out.printf("machine: %d cores, load average %s, %s %s%n", Runtime.getRuntime().availableProcessors(), load,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        System.out.printf("model: %s (%s: %d vertices, %d joints, %d+%d blend components, %d pose correctives, %d"
                + " landmarks); %d frames, 10 shape + 10 expression fitted%n", source, m.kind, m.vertexCount,
                m.jointCount, m.shapeCount, m.expressionCount, m.poseBasisCount(), m.landmarkCount(), frames);
        System.out.println("| stage                                   | wall ms/frame | CPU ms/frame | result            |");
        System.out.println("|-----------------------------------------|---------------|--------------|-------------------|");
        System.out.printf("| %-39s | %13.0f | %12.0f |                   |%n",
                args.length > 0 && !args[0].isEmpty() ? "load model (once, total)" : "write + load model (once, total)",
                1000 * loadS, 1000 * loadCpuS);
        System.out.printf("| per-frame LM, warm-started (15 it.)     | %13.1f | %12.1f | %6.3f px RMS     |%n",
                1000 * seqS / frames, 1000 * seqCpu / frames, seq.meanRmsPx());
        System.out.printf("| + joint clip refinement (default: 10)   | %13.1f | %12.1f | %6.3f px RMS     |%n",
                1000 * fullS / frames, 1000 * fullCpu / frames, full.meanRmsPx());
        if (bodyModel) {
            System.out.printf("| total fit + body keypoints              | %13.1f | %12.1f | %6.3f px RMS     |%n",
                    1000 * kpS / frames, 1000 * kpCpu / frames, kpRms);
            System.out.printf("| total fit + body keypoints + silhouette | %13.1f | %12.1f | %6.3f px RMS     |%n",
                    1000 * bodyS / frames, 1000 * bodyCpu / frames, bodyRms);
        }
        System.out.printf("| full posed mesh for the rig             | %13.1f | %12.1f |                   |%n",
                1000 * meshS / frames, 1000 * meshCpu / frames);
    }
}
