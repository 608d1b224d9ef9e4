package org.portraitgen.tracking.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.CascadeFaceDetector;
import org.portraitgen.tracking.internal.face.Detectors;
import org.portraitgen.tracking.internal.face.FaceChoice;
import org.portraitgen.tracking.internal.face.FaceDetector;
import org.portraitgen.tracking.internal.face.FaceLandmarker;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.track.ClipTracker;
import org.portraitgen.tracking.internal.track.TrackOptions;
import org.portraitgen.tracking.internal.track.TrackResult;
import org.portraitgen.testing.TestData;

/** Frames without a face, several faces, a missing detector model. */
class BadInputTest {

    @TempDir
    static Path work;
    static List<FloatImage> images;

    @BeforeAll
    static void decode() throws Exception {
        VideoIO io = TestData.service(VideoIO.class, null);
        images = Samples.frames(Samples.decode(io, "d0.mp4", 8, work.resolve("d0")));
    }

    @Test
    void framesWithoutAFaceAreFlaggedAndBridgedByInterpolation() throws Exception {
        List<FloatImage> clip = new ArrayList<>(images);
        FloatImage grey = new FloatImage(Samples.SIZE, Samples.SIZE, 3);
        Arrays.fill(grey.data(), 0.4f);
        clip.set(3, grey);
        clip.set(4, grey);
        TrackResult r = track(clip, Samples.models(), TrackOptions.DEFAULT);
        assertFalse(r.tracked(3));
        assertFalse(r.tracked(4));
        assertTrue(r.tracked(2) && r.tracked(5));
        assertEquals(6, r.stats().trackedFrames());
        // the bridged face lies between its neighbours, not at the origin or frozen elsewhere
        float[] a = r.landmarks()[2], m = r.landmarks()[3], b = r.landmarks()[5];
        for (int i : new int[] { 1, 33, 263 }) {
            double lo = Math.min(a[3 * i], b[3 * i]) - 2, hi = Math.max(a[3 * i], b[3 * i]) + 2;
            assertTrue(m[3 * i] >= lo && m[3 * i] <= hi, "point " + i + ": " + m[3 * i] + " not in " + lo + ".." + hi);
        }
    }

    @Test
    void severalFacesOfSimilarSizeNeedAChoice() throws Exception {
        List<FloatImage> twins = images.subList(0, 3).stream().map(BadInputTest::twoFaces).toList();
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> track(twins, Samples.models(), TrackOptions.DEFAULT));
        assertTrue(e.getMessage().contains("faces of similar size") && e.getMessage().contains("'largest'"),
                e.getMessage());
        TrackOptions largest = new TrackOptions(60, 0, FaceChoice.LARGEST, 0.5, 0.5, 3, 16);
        TrackResult r = track(twins, Samples.models(), largest);
        assertEquals(3, r.stats().trackedFrames());
    }

    @Test
    void withoutTheDetectorModelTheHaarCascadeTakesOver() throws Exception {
        Path partial = Files.createDirectories(work.resolve("models-without-detector"));
        for (String f : new String[] { ModelFiles.FACE_LANDMARK, ModelFiles.CANONICAL_MESH }) {
            Files.copy(Samples.models().require(f), partial.resolve(f));
        }
        ModelFiles models = new ModelFiles(partial);
        try (FaceDetector d = Detectors.forModels(models)) {
            assertInstanceOf(CascadeFaceDetector.class, d);
        }
        TrackResult r = track(images.subList(0, 4), models, TrackOptions.DEFAULT);
        assertEquals(4, r.stats().trackedFrames());
        assertTrue(r.detector().contains("haar"), r.detector());
        assertTrue(r.stats().reprojectionMean() < 1.0, r.stats().toString());
    }

    /** The frame squeezed to half width, twice side by side: two faces of the same size. */
    private static FloatImage twoFaces(FloatImage f) {
        int w = f.width(), h = f.height();
        FloatImage out = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    // each half shows the middle of the frame at full scale: faces keep their size
                    int sx = (x % (w / 2)) + w / 4;
                    out.set(c, x, y, f.get(c, sx, y));
                }
            }
        }
        return out;
    }

    private static TrackResult track(List<FloatImage> clip, ModelFiles models, TrackOptions options)
            throws Exception {
        try (FaceDetector det = Detectors.forModels(models);
                FaceLandmarker lm = new FaceLandmarker(models.require(ModelFiles.FACE_LANDMARK))) {
            CanonicalFaceMesh mesh = CanonicalFaceMesh.read(models.require(ModelFiles.CANONICAL_MESH));
            return new ClipTracker(mesh, det, lm, options).track(Samples.clip(clip, null), x -> {
            });
        }
    }
}
