package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.raster.Gaussians;
import org.portraitgen.field.internal.raster.RasterImage;
import org.portraitgen.field.internal.raster.Rasterizer;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.Trainer;
import org.portraitgen.field.internal.train.TrainingFrame;
import org.portraitgen.testing.TestData;
import org.portraitgen.tracking.smplx.internal.SmplxClip;
import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.fit.Pinhole;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/**
 * The SMPL-X rig and the default (MediaPipe) tracker's rig are interchangeable for the field: the same fitted meshes,
 * read once through each registered {@link Tracker} service from each tracker's own folder format, give equal
 * {@link Rig} contents, bind Gaussians the same way and lift a synthetic clip to the same result; and each tracker
 * refuses the other's folder, so the field's "first tracker that can read it" always picks the right one.
 */
class InterchangeTest {
    private static final int SIZE = 24, FRAMES = 5;

    @Test
    void bothTrackersRigsBindAndLiftTheSameClipAlike(@TempDir Path dir) throws Exception {
        Tracker smplx = tracker("smplx"), mediapipe = tracker("mediapipe");
        Path smplxDir = dir.resolve("smplx"), defaultDir = Files.createDirectories(dir.resolve("default"));
        BodyModel m = FitRecoveryTest.model(dir);
        BodyEvaluator body = new BodyEvaluator(m);
        Pinhole cam = new Pinhole(56, 56, 0.5 * (SIZE - 1), 0.5 * (SIZE - 1));
        List<double[]> obs = new ArrayList<>();
        for (int f = 0; f < FRAMES; f++) {
            obs.add(FitRecoveryTest.project(body, FitRecoveryTest.truth(m, new double[] { 0.8, -1.1, 0.5, 1.3 }, f),
                    cam));
        }
        SmplxClip.track(m, new FaceLandmarks(SIZE, SIZE, 25, cam, obs), FitRecoveryTest.WEAK, smplxDir, "smplx", null);
        Rig a = smplx.load(smplxDir);
        writeDefaultFormat(a, defaultDir);
        Rig b = mediapipe.load(defaultDir);

        assertThrows(IOException.class, () -> mediapipe.load(smplxDir), "the default reader must refuse our folder");
        assertThrows(IOException.class, () -> smplx.load(defaultDir), "ours must refuse the default folder");
        assertEquals(a.vertexCount(), b.vertexCount());
        assertArrayEquals(a.triangles(), b.triangles());
        assertArrayEquals(a.uvs(), b.uvs());
        assertEquals(a.frameCount(), b.frameCount());
        for (int f = 0; f < FRAMES; f++) {
            assertArrayEquals(a.state(f).vertices(), b.state(f).vertices());
            assertEquals(a.state(f).camera().fx(), b.state(f).camera().fx(), 1e-9);
            assertEquals(a.state(f).camera().cx(), b.state(f).camera().cx(), 1e-9);
        }

        double[] ra = lift(a), rb = lift(b);
        System.out.printf("lift on the SMPL-X rig: PSNR %.2f -> %.2f dB; on the same meshes through the default rig:"
                + " %.2f -> %.2f dB%n", ra[0], ra[1], rb[0], rb[1]);
        assertTrue(ra[1] > ra[0] + 3, "lifting on the SMPL-X rig must learn: " + ra[0] + " -> " + ra[1]);
        assertEquals(ra[0], rb[0], 1e-9, "same binding and initial render");
        assertEquals(ra[1], rb[1], 1e-9, "same training");
    }

    /** Renders truth frames from a textured field bound to the rig, lifts a fresh field for a few steps. */
    private static double[] lift(Rig rig) throws IOException {
        try (Workers workers = new Workers(2)) {
            TriangleBinding binding = UvSampler.sample(rig.vertexCount(), rig.triangles(), rig.uvs(), 12);
            assertTrue(binding.count() > 50, binding.count() + " Gaussians bound");
            GaussianField truth = GaussianField.initialise(binding, rig.state(0).vertices(), 3, 5);
            Gaussians g = truth.local;
            for (int i = 0; i < g.count; i++) {
                double u = rig.uvs()[2 * rig.triangles()[3 * binding.triangleOf[i]]];
                g.features[3 * i] = 0.5 + 0.4 * Math.sin(9 * u);
                g.features[3 * i + 1] = 0.5 + 0.4 * Math.cos(7 * u);
                g.features[3 * i + 2] = 0.4;
                g.opacityLogits[i] = 3;
            }
            Rasterizer rasterizer = new Rasterizer(workers);
            List<TrainingFrame> frames = new ArrayList<>();
            for (int f = 0; f < rig.frameCount(); f++) {
                RigState s = rig.state(f);
                TriangleFrames tf = TriangleFrames.of(s.vertices(), binding.triangles, binding.vertexCount, "truth");
                RasterImage img = rasterizer.forward(binding.toWorld(g, s.vertices(), tf), GaussianField.cameraOf(s));
                float[] rgb = new float[3 * SIZE * SIZE], mask = new float[SIZE * SIZE];
                for (int i = 0; i < rgb.length; i++) {
                    rgb[i] = (float) Math.min(1, Math.max(0, img.features[i]));
                }
                for (int i = 0; i < mask.length; i++) {
                    mask[i] = (float) img.alpha[i];
                }
                frames.add(new TrainingFrame(s, new FloatImage(SIZE, SIZE, 3, rgb), new FloatImage(SIZE, SIZE, 1,
                        mask)));
            }
            GaussianField fresh = GaussianField.initialise(binding, rig.state(0).vertices(), 32, 9);
            double before = new Trainer(fresh, LossWeights.portraitGen(), workers).psnr(frames.get(2));
            Path ckpt = Files.createTempDirectory("interchange").resolve("field.ckpt");
            Lifter.Result r = new Lifter(workers).lift(frames, fresh, ckpt,
                    new Lifter.Settings(15, 2, 3, 15, 15, 17, LossWeights.portraitGen()), (s, n, l, p) -> {
                    });
            return new double[] { before, r.heldOutPsnr() };
        }
    }

    /**
     * The default tracker's folder format as its {@code TrackingFile} documents it, holding the same meshes (no
     * MediaPipe face points: faceVertexCount 0).
     */
    private static void writeDefaultFormat(Rig rig, Path dir) throws IOException {
        int vn = rig.vertexCount(), tn = rig.triangles().length / 3, frames = rig.frameCount();
        ByteBuffer topo = ByteBuffer.allocate(tn * 12 + vn * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int t : rig.triangles()) {
            topo.putInt(t);
        }
        for (float uv : rig.uvs()) {
            topo.putFloat(uv);
        }
        Files.write(dir.resolve("topology.bin"), topo.array());
        ByteBuffer v = ByteBuffer.allocate(frames * vn * 12).order(ByteOrder.LITTLE_ENDIAN);
        StringBuilder fr = new StringBuilder();
        for (int f = 0; f < frames; f++) {
            for (float x : rig.state(f).vertices()) {
                v.putFloat(x);
            }
            fr.append(f == 0 ? "" : ",").append("{\"index\":").append(f).append(",\"tracked\":true,\"expression\":[]}");
        }
        Files.write(dir.resolve("vertices.bin"), v.array());
        Files.write(dir.resolve("landmarks.bin"), new byte[0]);
        var c = rig.state(0).camera();
        Files.writeString(dir.resolve("tracking.json"), "{\"format\":\"portraitgen-tracking\",\"version\":1,"
                + "\"tracker\":\"mediapipe\",\"width\":" + c.width() + ",\"height\":" + c.height() + ",\"frameRate\":25,"
                + "\"frameCount\":" + frames + ",\"intrinsics\":{\"fx\":" + c.fx() + ",\"fy\":" + c.fy() + ",\"cx\":"
                + c.cx() + ",\"cy\":" + c.cy() + "},\"units\":\"cm\",\"vertexCount\":" + vn + ",\"faceVertexCount\":0,"
                + "\"triangleCount\":" + tn + ",\"expressionSize\":0,\"frames\":[" + fr + "]}");
    }

    private static Tracker tracker(String id) throws Exception {
        return TestData.service(Tracker.class, "(" + Tracker.ID_PROPERTY + "=" + id + ")");
    }
}
