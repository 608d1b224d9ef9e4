package org.portraitgen.tracking.dlib.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.dlib.internal.CrossCheck;
import org.portraitgen.tracking.dlib.internal.Dlib68Node;
import org.portraitgen.tracking.dlib.internal.GrayImage;
import org.portraitgen.tracking.dlib.internal.MediaPipe68;
import org.portraitgen.tracking.dlib.internal.ShapePredictor;
import org.portraitgen.tracking.dlib.internal.TrackedLandmarks;
import org.portraitgen.core.Images;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;

/**
 * The Java shape predictor against dlib (C++, Debian libdlib-dev) on the same d0 frames and boxes, and the primary
 * MediaPipe tracker against dlib on the 68 corresponding points. The boxes come from the tracker's face, as in the
 * {@code track.dlib68} node.
 */
class DlibCrossCheckTest {

    static final int FRAMES = 8, STEP = 10, SIZE = 256;
    static final Path MODEL = Path.of(Dlib68Node.DEFAULT_MODEL);

    @TempDir
    static Path work;
    static FrameStore frames;
    static Path trackingDir;
    static ShapePredictor model;
    static List<double[]> tracker = new ArrayList<>();
    static List<ShapePredictor.Box> boxes = new ArrayList<>();
    static List<ShapePredictor.Shape> java = new ArrayList<>();
    static List<DlibReference.Fit> dlib;
    static List<DlibReference.Fit> dlibDetected;

    @BeforeAll
    static void fitBoth() throws Exception {
        VideoIO io = TestData.service(VideoIO.class, null);
        frames = io.decode(TestData.video("d0.mp4"), work.resolve("d0"),
                new DecodeOptions(0, FRAMES, STEP, SIZE, SIZE, "none", false), x -> {
                });
        RecordingNodeContext track = new RecordingNodeContext("track", work).input("frames", frames.directory())
                .param("overlay_video", false);
        TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.track)").execute(track);
        trackingDir = track.output("tracking");
        TrackedLandmarks landmarks = TrackedLandmarks.read(trackingDir);
        model = ShapePredictor.read(MODEL);

        StringBuilder list = new StringBuilder(), detect = new StringBuilder();
        for (int f = 0; f < FRAMES; f++) {
            FloatImage frame = frames.read(f);
            double[] primary = landmarks.points68(f);
            assertNotNull(primary, "the tracker found no face in d0 frame " + f * STEP);
            ShapePredictor.Box box = MediaPipe68.detectorBox(primary);
            tracker.add(primary);
            boxes.add(box);
            java.add(model.predict(GrayImage.of(frame), box));
            Path ppm = work.resolve("f" + f + ".ppm");
            DlibReference.writePpm(frame, ppm);
            list.append(ppm.getFileName()).append(' ').append(box.left()).append(' ').append(box.top()).append(' ')
                    .append(box.right()).append(' ').append(box.bottom()).append('\n');
            detect.append(ppm.getFileName()).append(" detect\n");
        }
        Files.writeString(work.resolve("boxes.txt"), list);
        Files.writeString(work.resolve("detect.txt"), detect);
        dlib = DlibReference.fit(MODEL, work.resolve("boxes.txt"));
        dlibDetected = DlibReference.fit(MODEL, work.resolve("detect.txt"));
        assertEquals(FRAMES, dlib.size());
        drawForInspection(0);
        drawForInspection(FRAMES - 1);
    }

    /** target/crosscheck/d0_N.png, 2x: the box (blue), dlib's 68 points (red) and the tracker's (green). */
    private static void drawForInspection(int f) throws Exception {
        BufferedImage small = Images.toBufferedImage(frames.read(f));
        int s = 2;
        BufferedImage img = new BufferedImage(small.getWidth() * s, small.getHeight() * s, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.drawImage(small, 0, 0, img.getWidth(), img.getHeight(), null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        ShapePredictor.Box b = boxes.get(f);
        g.setColor(Color.CYAN);
        g.drawRect((int) b.left() * s, (int) b.top() * s, (int) (b.right() - b.left()) * s,
                (int) (b.bottom() - b.top()) * s);
        double[] mp = tracker.get(f);
        ShapePredictor.Shape shape = java.get(f);
        for (int i = 0; i < shape.parts(); i++) {
            g.setColor(Color.GREEN);
            g.fill(new Ellipse2D.Double(mp[2 * i] * s - 2.5, mp[2 * i + 1] * s - 2.5, 5, 5));
            g.setColor(Color.RED);
            g.fill(new Ellipse2D.Double(shape.x()[i] * s - 2.5, shape.y()[i] * s - 2.5, 5, 5));
        }
        g.dispose();
        Path dir = DlibReference.MODULE.resolve("target/crosscheck");
        Files.createDirectories(dir);
        ImageIO.write(img, "png", dir.resolve("d0_" + f * STEP + ".png").toFile());
    }

    @Test
    void javaGivesDlibsPointsOnTheSameFramesAndBoxes() {
        double sum = 0, sumUnrounded = 0;
        int same = 0, n = 0;
        for (int f = 0; f < FRAMES; f++) {
            ShapePredictor.Box box = boxes.get(f);
            assertArrayEquals(new long[] { box.left(), box.top(), box.right(), box.bottom() }, dlib.get(f).box());
            ShapePredictor.Shape shape = java.get(f);
            long[] ref = dlib.get(f).points();
            assertEquals(2 * shape.parts(), ref.length);
            for (int i = 0; i < shape.parts(); i++) {
                double d = Math.hypot(shape.roundedX(i) - ref[2 * i], shape.roundedY(i) - ref[2 * i + 1]);
                sum += d;
                sumUnrounded += Math.hypot(shape.x()[i] - ref[2 * i], shape.y()[i] - ref[2 * i + 1]);
                same += d == 0 ? 1 : 0;
                n++;
            }
        }
        System.out.printf(Locale.ROOT, "dlib cross-check, d0 %d frames at %d²: Java vs dlib %.4f px mean (rounded as"
                + " dlib rounds; %d of %d points identical), unrounded Java vs dlib's integers %.3f px%n", FRAMES, SIZE,
                sum / n, same, n, sumUnrounded / n);
        assertTrue(sum / n < 0.1, "Java vs dlib mean difference " + sum / n + " px");
        // the rounding alone accounts for the unrounded difference; far more would mean different fits
        assertTrue(sumUnrounded / n < 0.6, "unrounded Java vs dlib " + sumUnrounded / n + " px");
    }

    @Test
    void theTrackerAgreesWithDlibOnThe68Points() {
        double pixels = 0, normalised = 0, shifted = 0;
        for (int f = 0; f < FRAMES; f++) {
            ShapePredictor.Shape shape = java.get(f);
            double[] mp = tracker.get(f);
            // the usual normalisation: the outer eye corners (points 36 and 45) of the reference shape
            double eyes = Math.hypot(shape.x()[45] - shape.x()[36], shape.y()[45] - shape.y()[36]);
            double d = CrossCheck.meanDistance(shape, mp);
            pixels += d;
            normalised += d / eyes;
            double[] moved = mp.clone();
            for (int i = 0; i < moved.length; i += 2) {
                moved[i] += 0.2 * eyes; // a tracker a fifth of the eye distance off
            }
            shifted += CrossCheck.meanDistance(shape, moved) / eyes;
        }
        pixels /= FRAMES;
        normalised /= FRAMES;
        shifted /= FRAMES;
        System.out.printf(Locale.ROOT, "MediaPipe tracker vs dlib, 68 corresponding points, d0 %d frames at %d²:"
                + " %.2f px mean, %.3f of the outer-eye-corner distance (a tracker shifted by 0.2 of it: %.3f)%n",
                FRAMES, SIZE, pixels, normalised, shifted);
        // two independent models on a frontal face agree to a few percent of the eye distance (their point
        // definitions differ on the jaw); a tracker off by a fifth of it, or on the wrong face, is far outside
        assertTrue(normalised < 0.12, "tracker vs dlib: " + normalised + " of the eye distance");
        assertTrue(shifted > 0.12, "the bound would not notice a shifted tracker: " + shifted);
    }

    @Test
    void theBoxFromTheTrackerIsTheKindDlibsDetectorGives() {
        int detected = 0;
        double iouSum = 0;
        for (int f = 0; f < FRAMES; f++) {
            DlibReference.Fit hog = dlibDetected.get(f);
            if (hog == null) {
                continue;
            }
            detected++;
            ShapePredictor.Box b = boxes.get(f);
            long[] h = hog.box();
            double ix = Math.max(0, Math.min(b.right(), h[2]) - Math.max(b.left(), h[0]) + 1);
            double iy = Math.max(0, Math.min(b.bottom(), h[3]) - Math.max(b.top(), h[1]) + 1);
            double inter = ix * iy;
            double union = (b.right() - b.left() + 1.0) * (b.bottom() - b.top() + 1)
                    + (h[2] - h[0] + 1.0) * (h[3] - h[1] + 1) - inter;
            iouSum += inter / union;
            System.out.printf(Locale.ROOT, "frame %d: tracker box %d %d %d %d, dlib HOG box %d %d %d %d%n", f,
                    b.left(), b.top(), b.right(), b.bottom(), h[0], h[1], h[2], h[3]);
        }
        assertTrue(detected >= FRAMES / 2, "dlib's detector found the face in " + detected + " of " + FRAMES);
        System.out.printf(Locale.ROOT, "tracker box vs dlib detector box: IoU %.3f over %d frames%n",
                iouSum / detected, detected);
        assertTrue(iouSum / detected > 0.85, "IoU " + iouSum / detected);
    }

    @Test
    void theNodeWritesDlibsPointsAndTheTrackersDistance() throws Exception {
        RecordingNodeContext ctx = new RecordingNodeContext("dlib68", work).input("frames", frames.directory())
                .input("tracking", trackingDir).param("model", MODEL.toString());
        TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=" + Dlib68Node.TYPE + ")")
                .execute(ctx);
        JsonNode json = new ObjectMapper().readTree(ctx.output("landmarks").resolve(Dlib68Node.RESULT).toFile());
        assertEquals(FRAMES, json.get("comparedFrames").asInt());
        double mean = 0;
        for (int f = 0; f < FRAMES; f++) {
            JsonNode frame = json.get("frames").get(f);
            assertEquals(136, frame.get("points").size());
            assertEquals(java.get(f).x()[30], frame.get("points").get(60).asDouble(), 1e-9);
            mean += CrossCheck.meanDistance(java.get(f), tracker.get(f)) / FRAMES;
        }
        assertEquals(mean, json.get("meanDistanceToTracker").asDouble(), 1e-9);
    }

    @Test
    void theNodeNamesAMissingModelAndABrokenTrackingFolder() throws Exception {
        NodeProvider node = TestData.service(NodeProvider.class,
                "(" + NodeProvider.TYPE_PROPERTY + "=" + Dlib68Node.TYPE + ")");
        RecordingNodeContext noModel = new RecordingNodeContext("dlib68-nomodel", work)
                .input("frames", frames.directory()).input("tracking", trackingDir)
                .param("model", work.resolve("absent.dat").toString());
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> node.execute(noModel));
        assertTrue(e.getMessage().contains("'model'") && e.getMessage().contains("libdlib-data"), e.getMessage());

        Path notTracking = Files.createDirectories(work.resolve("not-tracking"));
        RecordingNodeContext badTracking = new RecordingNodeContext("dlib68-badtracking", work)
                .input("frames", frames.directory()).input("tracking", notTracking).param("model", MODEL.toString());
        InvalidInputException t = assertThrows(InvalidInputException.class, () -> node.execute(badTracking));
        assertTrue(t.getMessage().contains("'tracking'") && t.getMessage().contains(notTracking.toString()),
                t.getMessage());
    }
}
