package org.portraitgen.tracking.internal.track;

import java.io.IOException;
import java.util.function.DoubleConsumer;

import org.bytedeco.opencv.opencv_core.Mat;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.FaceDetector;
import org.portraitgen.tracking.internal.face.FaceLandmarker;
import org.portraitgen.tracking.internal.face.FaceTracker;
import org.portraitgen.tracking.internal.face.HeadPose;
import org.portraitgen.tracking.internal.face.Intrinsics;
import org.portraitgen.tracking.internal.face.OneEuroFilter;
import org.portraitgen.tracking.internal.face.PoseEstimator;
import org.portraitgen.tracking.internal.face.SeveralFacesException;
import org.portraitgen.tracking.internal.models.Mats;
import org.portraitgen.tracking.internal.rig.BoundaryCenter;
import org.portraitgen.tracking.internal.rig.ExpressionBasis;
import org.portraitgen.tracking.internal.rig.RigFrameBuilder;
import org.portraitgen.tracking.internal.rig.RigTopology;
import org.portraitgen.tracking.internal.rig.ShellReach;

/**
 * Tracks one clip: landmarks per frame (detect, follow, re-detect), gaps bridged by interpolation, zero-lag smoothing,
 * head pose, the shell's reach from the masks, rig vertices and expression descriptors.
 */
public final class ClipTracker {

    /**
     * One Euro beta for landmarks (per px/s): at 0.02 fast heads (d11, d12) were rounded off by 2-5 px; 0.06 halves
     * that for ~10% more residual jitter on a still head (d0).
     */
    static final double LANDMARK_SPEED_GAIN = 0.06;

    private final CanonicalFaceMesh mesh;
    private final RigTopology topology;
    private final FaceDetector detector;
    private final FaceLandmarker landmarker;
    private final TrackOptions options;

    public ClipTracker(CanonicalFaceMesh mesh, FaceDetector detector, FaceLandmarker landmarker,
            TrackOptions options) {
        this.mesh = mesh;
        this.topology = new RigTopology(mesh);
        this.detector = detector;
        this.landmarker = landmarker;
        this.options = options;
    }

    /** @param progress fraction done; may throw to cancel */
    public TrackResult track(Clip clip, DoubleConsumer progress) throws IOException, InvalidInputException {
        int n = clip.frameCount();
        if (n == 0) {
            throw new InvalidInputException("the clip has no frames");
        }
        FloatImage first = clip.frame(0);
        int w = first.width(), h = first.height();
        Intrinsics camera = options.focalPx() > 0 ? Intrinsics.withFocal(w, h, options.focalPx())
                : Intrinsics.fromFrameSize(w, h, options.fovDegrees());
        FaceTracker faces = new FaceTracker(detector, landmarker, options.face(), options.minPresence());
        float[][] raw = new float[n][];
        double[] presence = new double[n];
        int tracked = 0;
        for (int f = 0; f < n; f++) {
            FloatImage frame = f == 0 ? first : clip.frame(f);
            try (Mat bgr = Mats.bgr(frame)) {
                FaceTracker.FrameResult r = faces.next(bgr, f);
                raw[f] = r.points();
                presence[f] = r.presence();
                tracked += r.points() != null ? 1 : 0;
            } catch (SeveralFacesException e) {
                throw new InvalidInputException(e.getMessage(), e);
            }
            progress.accept(0.8 * (f + 1) / n);
        }
        if (tracked < options.minTrackedShare() * n) {
            throw new InvalidInputException("a face was found in only " + tracked + " of " + n
                    + " frames; the tracker needs a face in at least " + Math.round(options.minTrackedShare() * 100)
                    + "% of them (a portrait video with the face visible)");
        }
        float[][] filled = Gaps.interpolate(raw);
        float[][] smooth = toFloat(new OneEuroFilter(clip.frameRate(), options.smoothing(), LANDMARK_SPEED_GAIN)
                .smoothClip(toDouble(filled)));
        HeadPose[] poses = poses(smooth, camera);
        // poses of the unsmoothed landmarks only serve the jitter report
        HeadPose[] rawPoses = poses(filled, camera);
        double[][] reach = new double[n][];
        int[] boundary = topology.boundary();
        for (int f = 0; f < n; f++) {
            double[] c = BoundaryCenter.of(smooth[f], boundary);
            double[] bp = BoundaryCenter.points(smooth[f], boundary);
            FloatImage mask = clip.mask(f);
            reach[f] = mask != null ? ShellReach.outerRadii(mask.data(), w, h, bp, c[0], c[1])
                    : ShellReach.outerRadii(new float[w * h], w, h, bp, c[0], c[1]);
        }
        double[][] steadyReach = new OneEuroFilter(clip.frameRate(), 1.0, 0.01).smoothClip(reach);
        RigFrameBuilder builder = new RigFrameBuilder(topology, mesh, camera);
        float[][] vertices = new float[n][];
        for (int f = 0; f < n; f++) {
            // smoothing may pull the shell inwards where the mask grows fast; never let it uncover the mask
            for (int i = 0; i < boundary.length; i++) {
                steadyReach[f][i] = Math.max(steadyReach[f][i], reach[f][i]);
            }
            vertices[f] = builder.vertices(smooth[f], poses[f], steadyReach[f]);
        }
        float[][] expression = ExpressionBasis.describe(filled, mesh, options.expressionSize());
        progress.accept(1.0);
        TrackStats stats = TrackMetrics.measure(raw, smooth, vertices, camera, topology.faceVertexCount(),
                faces.detections(), rawPoses, poses);
        return new TrackResult(camera, topology, detector.name(), raw, presence, smooth, poses, vertices, expression,
                stats);
    }

    private HeadPose[] poses(float[][] landmarks, Intrinsics camera) {
        PoseEstimator estimator = new PoseEstimator(mesh, camera);
        HeadPose[] out = new HeadPose[landmarks.length];
        for (int f = 0; f < landmarks.length; f++) {
            out[f] = estimator.estimate(landmarks[f]);
        }
        return out;
    }

    private static double[][] toDouble(float[][] a) {
        double[][] out = new double[a.length][];
        for (int f = 0; f < a.length; f++) {
            out[f] = new double[a[f].length];
            for (int i = 0; i < a[f].length; i++) {
                out[f][i] = a[f][i];
            }
        }
        return out;
    }

    private static float[][] toFloat(double[][] a) {
        float[][] out = new float[a.length][];
        for (int f = 0; f < a.length; f++) {
            out[f] = new float[a[f].length];
            for (int i = 0; i < a[f].length; i++) {
                out[f][i] = (float) a[f][i];
            }
        }
        return out;
    }
}
