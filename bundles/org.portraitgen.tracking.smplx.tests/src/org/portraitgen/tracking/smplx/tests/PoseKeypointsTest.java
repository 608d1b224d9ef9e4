package org.portraitgen.tracking.smplx.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;
import org.portraitgen.tracking.internal.pose.PoseLandmarker;
import org.portraitgen.tracking.smplx.internal.BodyObservations;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * MediaPipe Pose's landmark model (the real {@code pose_landmark_full.tflite}, fetched by the set-up; the test fails
 * without it) on frames of {@code d0.mp4}, in the region placed from the face (MediaPipe's framing from adult
 * proportions), with the person masks of {@code track.matte}: the shoulders must come out where a portrait has
 * them (measured on frame 0: nose (123, 140) inside the face box
 * x 74..186, y 80..217; shoulders (247, 262) and (20, 272), just below the 256² frame's bottom edge, visibility 0.96
 * and 0.99). Then the Track node with a body model (SMPL-X skeleton) passes keypoints and masks to the fit.
 */
class PoseKeypointsTest {
    private static final int FRAMES = 2, SIZE = 256;

    @Test
    void shouldersLandBelowTheFaceInsideThePerson(@TempDir Path dir) throws Exception {
        VideoIO io = TestData.service(VideoIO.class, null);
        Path framesDir = dir.resolve("frames");
        io.decode(TestData.video("d0.mp4"), framesDir, new DecodeOptions(0, FRAMES, 1, SIZE, SIZE, "none", false),
                x -> {
                });
        NodeProvider matte = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.matte)");
        RecordingNodeContext m = new RecordingNodeContext("matte", dir.resolve("matte")).input("frames", framesDir);
        matte.execute(m);
        NodeProvider track = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=track.track)");
        RecordingNodeContext t = new RecordingNodeContext("track", dir.resolve("track")).input("frames", framesDir)
                .param("overlay_video", false);
        track.execute(t);
        FaceLandmarks face = FaceLandmarks.read(t.output("tracking"));
        FrameStore frames = io.open(framesDir), masks = io.open(m.output("masks"));

        List<ClipFitter.Frame> observed;
        try (PoseLandmarker pose = PoseLandmarker.fromEnvironment()) {
            observed = BodyObservations.observe(frames, masks, face, pose, f -> {
            });
        }
        assertEquals(FRAMES, observed.size());
        for (int f = 0; f < FRAMES; f++) {
            check("frame " + f, observed.get(f), masks.read(f));
            assertNotNull(observed.get(f).mask(), "the mask's silhouette is used");
        }

        // the same through the Track node with a body model (SMPL-X's skeleton): keypoints and masks reach the fit
        Path model = dir.resolve("SMPLX_NEUTRAL.npz");
        SyntheticModel.upperBody().write(model);
        RecordingNodeContext s = new RecordingNodeContext("track", dir.resolve("smplx")).input("frames", framesDir)
                .input("masks", m.output("masks")).param("tracker", "smplx").param("model_path", model.toString())
                .param("overlay_video", false);
        track.execute(s);
        Map<?, ?> json = new ObjectMapper().readValue(s.output("tracking").resolve("smplx-tracking.json").toFile(),
                Map.class);
        assertEquals("SMPLX", json.get("modelKind"));
        assertEquals(FRAMES, ((Number) json.get("framesWithBodyKeypoints")).intValue());
        assertEquals(FRAMES, ((Number) json.get("framesWithMask")).intValue());
    }

    private static void check(String what, ClipFitter.Frame o, FloatImage mask) {
        assertNotNull(o.body(), what + ": no pose found");
        double[] kp = o.body(), face = o.face();
        double fx0 = 1e9, fx1 = -1e9, fy0 = 1e9, fy1 = -1e9;
        for (int i = 0; i < face.length; i += 2) {
            fx0 = Math.min(fx0, face[i]);
            fx1 = Math.max(fx1, face[i]);
            fy0 = Math.min(fy0, face[i + 1]);
            fy1 = Math.max(fy1, face[i + 1]);
        }
        double lx = kp[3 * 11], ly = kp[3 * 11 + 1], rx = kp[3 * 12], ry = kp[3 * 12 + 1];
        double nx = kp[0], ny = kp[1];
        System.out.printf("%s: face box x %.0f..%.0f y %.0f..%.0f; nose (%.0f, %.0f); left shoulder (%.0f, %.0f) vis"
                + " %.2f, right shoulder (%.0f, %.0f) vis %.2f%n", what, fx0, fx1, fy0, fy1, nx, ny, lx, ly,
                kp[3 * 11 + 2], rx, ry, kp[3 * 12 + 2]);
        assertTrue(kp[3 * 11 + 2] > 0.5 && kp[3 * 12 + 2] > 0.5, what + ": shoulders not visible");
        assertTrue(nx > fx0 && nx < fx1 && ny > fy0 && ny < fy1, what + ": nose outside the face box");
        assertTrue(ly > fy1 && ry > fy1, what + ": shoulders not below the face");
        // the subject's left shoulder appears on the image's right when they face the camera
        assertTrue(lx > rx, what + ": left/right shoulders swapped");
        assertTrue(lx > (fx0 + fx1) / 2 && rx < (fx0 + fx1) / 2, what + ": shoulders not on both sides of the face");
        assertTrue(nearPerson(mask, lx, ly) && nearPerson(mask, rx, ry), what + ": shoulders outside the person mask");
    }

    /**
     * Inside the mask or within 4 px of it (a shoulder point sits on the silhouette's edge); a point below the frame
     * counts where the person reaches the bottom row above it (in d0's close-up the shoulders are cut by the frame).
     */
    private static boolean nearPerson(FloatImage mask, double x, double y) {
        double yc = Math.min(y, mask.height() - 1);
        for (int dy = -4; dy <= 4; dy++) {
            for (int dx = -4; dx <= 4; dx++) {
                int px = (int) Math.round(x) + dx, py = (int) Math.round(yc) + dy;
                if (px >= 0 && py >= 0 && px < mask.width() && py < mask.height() && mask.get(0, px, py) > 0.5) {
                    return true;
                }
            }
        }
        return false;
    }
}
