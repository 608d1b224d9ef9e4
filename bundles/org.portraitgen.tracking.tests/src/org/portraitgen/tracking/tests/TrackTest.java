package org.portraitgen.tracking.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.face.BlazeFaceDetector;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.CascadeFaceDetector;
import org.portraitgen.tracking.internal.face.Detection;
import org.portraitgen.tracking.internal.face.FaceLandmarker;
import org.portraitgen.tracking.internal.face.Intrinsics;
import org.portraitgen.tracking.internal.io.TrackingFile;
import org.portraitgen.tracking.internal.models.Mats;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.rig.Coverage;
import org.portraitgen.tracking.internal.track.ClipTracker;
import org.portraitgen.tracking.internal.track.TrackOptions;
import org.portraitgen.tracking.internal.track.TrackResult;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;

/**
 * {@code track.track} on d6 (head turning) at 256², and bounds that a broken tracker would break: frame order,
 * mirroring, a damaged model.
 */
class TrackTest {

    @TempDir
    static Path work;
    static VideoIO io;
    static FrameStore frames;
    static List<FloatImage> images;
    static List<FloatImage> masks;
    static Path trackingDir;
    static Rig rig;

    @BeforeAll
    static void track() throws Exception {
        io = TestData.service(VideoIO.class, null);
        frames = Samples.decode(io, "d6.mp4", 16, work.resolve("d6"));
        images = Samples.frames(frames);
        RecordingNodeContext matte = new RecordingNodeContext("matte", work).input("frames", frames.directory());
        TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.matte)").execute(matte);
        FrameStore maskStore = io.open(matte.output("masks"));
        masks = Samples.frames(maskStore);
        RecordingNodeContext ctx = new RecordingNodeContext("track", work).input("frames", frames.directory())
                .input("masks", maskStore.directory());
        TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.track)").execute(ctx);
        trackingDir = ctx.output("tracking");
        rig = TestData.service(Tracker.class, "(" + Tracker.ID_PROPERTY + "=mediapipe)").load(trackingDir);
    }

    @Test
    void writesAVersionedTrackingFileAndAnOverlayVideo() throws Exception {
        String json = Files.readString(trackingDir.resolve(TrackingFile.JSON));
        assertTrue(json.contains("\"format\" : \"portraitgen-tracking\""), json.substring(0, 200));
        assertTrue(json.contains("\"version\" : 1"));
        assertTrue(Files.size(trackingDir.resolve("overlay.mp4")) > 1000);
        try (var s = Files.list(trackingDir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().startsWith(".")), "temporary files left");
        }
    }

    @Test
    void rigHasOneTopologyAndEveryFrameTracked() {
        assertEquals(images.size(), rig.frameCount());
        assertEquals(3 * rig.vertexCount(), rig.state(0).vertices().length);
        for (int f = 0; f < rig.frameCount(); f++) {
            RigState s = rig.state(f);
            assertTrue(s.tracked(), "frame " + f);
            assertEquals(3 * rig.vertexCount(), s.vertices().length);
            assertEquals(16, s.expression().length);
            for (float v : s.vertices()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    @Test
    void everyForegroundPixelLiesUnderATriangle() {
        int covered = 0, foreground = 0;
        for (int f : new int[] { 0, rig.frameCount() / 2, rig.frameCount() - 1 }) {
            RigState s = rig.state(f);
            boolean[] under = RigRaster.coverage(rig.triangles(), s.vertices(), s.camera(), Samples.SIZE,
                    Samples.SIZE);
            // the bundle's own coverage measure (used by the bench) must agree with this reference
            Intrinsics k = new Intrinsics(Samples.SIZE, Samples.SIZE, s.camera().fx(), s.camera().fy(),
                    s.camera().cx(), s.camera().cy());
            assertArrayEquals(under, Coverage.of(rig.triangles(), s.vertices(), k));
            float[] m = masks.get(f).data();
            for (int i = 0; i < m.length; i++) {
                if (m[i] > 0.5f) {
                    foreground++;
                    covered += under[i] ? 1 : 0;
                }
            }
        }
        assertTrue(covered >= 0.995 * foreground, "covered " + covered + " of " + foreground);
    }

    @Test
    void landmarkVerticesReprojectOntoTheLandmarksWithLittleJitterAndNoLag() throws Exception {
        TrackResult r = trackDirect(images, ModelFiles.FACE_LANDMARK, Samples.models().folder());
        // at 256² a face is ~110 px wide: smoothing moves points by a fraction of a pixel
        assertTrue(r.stats().reprojectionMean() < 1.0, r.stats().toString());
        assertTrue(r.stats().reprojectionP95() < 2.5, r.stats().toString());
        assertTrue(r.stats().jitterSmoothed() < r.stats().jitterRaw(), r.stats().toString());
        assertTrue(Math.abs(r.stats().lagFrames()) <= 0.5, r.stats().toString());
        assertTrue(r.stats().jitterRaw() < 1.5, "in-order raw jitter " + r.stats());
        assertTrue(r.stats().rotationJitterDeg() < r.stats().rotationJitterRawDeg(), r.stats().toString());
        assertTrue(r.stats().translationJitterMm() < r.stats().translationJitterRawMm(), r.stats().toString());
    }

    @Test
    void theExpressionDescriptorFollowsTheMouth() throws Exception {
        // d6's first 2.4 s, every other frame: the mouth opens and closes there
        List<FloatImage> clip = Samples.frames(Samples.decode(io, "d6.mp4", 30, 2, work.resolve("d6-mouth")));
        TrackResult r = trackDirect(clip, ModelFiles.FACE_LANDMARK, Samples.models().folder());
        int n = clip.size();
        double[] mouth = new double[n];
        for (int f = 0; f < n; f++) {
            float[] p = r.rawLandmarks()[f];
            // inner lips (13, 14) over forehead-chin (10, 152): mouth opening, independent of distance
            mouth[f] = Math.hypot(p[3 * 13] - p[3 * 14], p[3 * 13 + 1] - p[3 * 14 + 1])
                    / Math.hypot(p[3 * 10] - p[3 * 152], p[3 * 10 + 1] - p[3 * 152 + 1]);
        }
        double best = 0;
        for (int k = 0; k < 3; k++) {
            double[] e = new double[n];
            for (int f = 0; f < n; f++) {
                e[f] = r.expression()[f][k];
            }
            best = Math.max(best, Math.abs(correlation(e, mouth)));
        }
        // on the same 60 frames at 512² the first component correlates 0.995
        assertTrue(best > 0.8, "best |correlation| of the first components with mouth opening: " + best);
    }

    private static double correlation(double[] a, double[] b) {
        double ma = 0, mb = 0;
        for (int i = 0; i < a.length; i++) {
            ma += a[i] / a.length;
            mb += b[i] / b.length;
        }
        double s = 0, sa = 0, sb = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - ma) * (b[i] - mb);
            sa += (a[i] - ma) * (a[i] - ma);
            sb += (b[i] - mb) * (b[i] - mb);
        }
        return s / Math.sqrt(sa * sb);
    }

    @Test
    void aShuffledFrameOrderBreaksTheJitterBound() throws Exception {
        List<FloatImage> shuffled = new ArrayList<>(images);
        Collections.shuffle(shuffled, new Random(3));
        TrackResult r = trackDirect(shuffled, ModelFiles.FACE_LANDMARK, Samples.models().folder());
        assertTrue(r.stats().jitterRaw() >= 1.5, "a head turning in random order must look jittery: " + r.stats());
    }

    @Test
    void aMirroredVideoGivesMirroredLandmarks() throws Exception {
        TrackResult r = trackDirect(images.subList(0, 4), ModelFiles.FACE_LANDMARK, Samples.models().folder());
        List<FloatImage> mirrored = images.subList(0, 4).stream().map(Samples::mirror).toList();
        TrackResult m = trackDirect(mirrored, ModelFiles.FACE_LANDMARK, Samples.models().folder());
        CanonicalFaceMesh mesh = CanonicalFaceMesh.read(Samples.models().require(ModelFiles.CANONICAL_MESH));
        int[] twin = MeshSymmetry.twins(mesh);
        double sum = 0;
        for (int f = 0; f < 4; f++) {
            float[] a = r.rawLandmarks()[f], b = m.rawLandmarks()[f];
            for (int i = 0; i < 468; i++) {
                sum += Math.hypot(Samples.SIZE - 1 - b[3 * twin[i]] - a[3 * i], b[3 * twin[i] + 1] - a[3 * i + 1]);
            }
        }
        double mean = sum / (4 * 468);
        assertTrue(mean < 2.5, "mean distance between landmarks and the mirrored video's, mirrored back: " + mean);
    }

    @Test
    void landmarksAgreeWithTheDetectorsEyesAndADamagedModelDoesNot() throws Exception {
        assertTrue(eyeDisagreement(Samples.models().require(ModelFiles.FACE_LANDMARK)) < 0.08);
        // the same model with a slice of weights zeroed: it still loads and runs, but its points are wrong
        byte[] model = Files.readAllBytes(Samples.models().require(ModelFiles.FACE_LANDMARK));
        for (int i = model.length / 2; i < model.length / 2 + 200_000; i++) {
            model[i] = (byte) (model[i] ^ 0x5a);
        }
        Path damaged = Files.write(work.resolve("damaged_face_landmark.tflite"), model);
        double d;
        try {
            d = eyeDisagreement(damaged);
        } catch (RuntimeException e) {
            return; // refusing to load is a fine way to fail too
        }
        assertTrue(!(d < 0.08), "a damaged model passed the eye check: " + d);
    }

    @Test
    void theCascadeFallbackFindsTheFace() {
        try (CascadeFaceDetector haar = new CascadeFaceDetector(); var bgr = Mats.bgr(images.get(0))) {
            List<Detection> faces = haar.detect(bgr);
            assertFalse(faces.isEmpty());
            Detection d = faces.get(0);
            assertTrue(d.centerX() > 64 && d.centerX() < 192 && d.centerY() > 64 && d.centerY() < 200,
                    d.toString());
        }
    }

    @Test
    void aClipWithoutFacesFailsWithAClearMessage() throws Exception {
        Path dir = work.resolve("grey");
        try (FrameStoreWriter w = io.create(dir, 128, 128, 3, 25)) {
            for (int i = 0; i < 6; i++) {
                FloatImage g = new FloatImage(128, 128, 3);
                java.util.Arrays.fill(g.data(), 0.3f + 0.05f * i);
                w.append(g, i * 40_000L);
            }
            w.finish();
        }
        RecordingNodeContext ctx = new RecordingNodeContext("noface", work).input("frames", dir).param("overlay_video", false);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> TestData
                .service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.track)").execute(ctx));
        assertTrue(e.getMessage().contains("a face was found in only 0 of 6 frames"), e.getMessage());
        assertTrue(e.getMessage().contains("noface"), e.getMessage());
    }

    @Test
    void cameraIntrinsicsComeFromTheFrameSize() {
        Intrinsics k = Intrinsics.fromFrameSize(256, 256, 60);
        assertEquals(128, k.cx(), 1e-9);
        assertEquals(256 / (2 * Math.tan(Math.toRadians(30))), k.fx(), 1e-9);
        assertArrayEquals(new double[] { 100, 50 }, k.project(k.unproject(100, 50, 42)[0], k.unproject(100, 50, 42)[1],
                42), 1e-9);
        assertEquals(k.fx(), rig.state(0).camera().fx(), 1e-9);
    }

    /** Mean distance of the landmark eye centres from the detector's eye keypoints, over the face width. */
    private static double eyeDisagreement(Path landmarkModel) throws Exception {
        try (BlazeFaceDetector det = new BlazeFaceDetector(Samples.models().require(ModelFiles.FACE_DETECTION), 0.5);
                FaceLandmarker lm = new FaceLandmarker(landmarkModel); var bgr = Mats.bgr(images.get(0))) {
            Detection d = det.detect(bgr).get(0);
            float[] p = lm.run(bgr, org.portraitgen.tracking.internal.face.FaceRoi.fromDetection(d)).points();
            // eye centres: mean of the eyes' corners (subject's right eye 33/133, left eye 362/263)
            double rx = (p[3 * 33] + p[3 * 133]) / 2, ry = (p[3 * 33 + 1] + p[3 * 133 + 1]) / 2;
            double lx = (p[3 * 362] + p[3 * 263]) / 2, ly = (p[3 * 362 + 1] + p[3 * 263 + 1]) / 2;
            double[] k = d.keypoints();
            double err = Math.hypot(rx - k[0], ry - k[1]) + Math.hypot(lx - k[2], ly - k[3]);
            return err / 2 / d.width();
        }
    }

    private static TrackResult trackDirect(List<FloatImage> clip, String landmarkModel, Path folder)
            throws Exception {
        ModelFiles models = new ModelFiles(folder);
        try (BlazeFaceDetector det = new BlazeFaceDetector(models.require(ModelFiles.FACE_DETECTION), 0.5);
                FaceLandmarker lm = new FaceLandmarker(models.require(landmarkModel))) {
            CanonicalFaceMesh mesh = CanonicalFaceMesh.read(models.require(ModelFiles.CANONICAL_MESH));
            return new ClipTracker(mesh, det, lm, TrackOptions.DEFAULT).track(Samples.clip(clip, null), x -> {
            });
        }
    }
}
