package org.portraitgen.tracking.smplx.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.tracking.internal.pose.PoseLandmarker;
import org.portraitgen.tracking.internal.pose.PoseRegion;
import org.portraitgen.tracking.smplx.internal.fit.BodyKeypoints;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.Silhouette;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;

/**
 * A clip's observations for body fitting: per frame the face landmarks, MediaPipe Pose keypoints found in a square
 * placed from the face (or, without a face, around a person mask wholly inside the frame) and the mask's signed
 * distance field.
 */
public final class BodyObservations {

    /** Mask coverage above which a pixel is the person. */
    static final double MASK_THRESHOLD = 0.5;

    private BodyObservations() {
    }

    /**
     * @param masks person masks of the same size as the frames, or null
     * @param done  called with each frame index once it is observed
     */
    public static List<ClipFitter.Frame> observe(FrameStore frames, FrameStore masks, FaceLandmarks face,
            PoseLandmarker pose, IntConsumer done) throws IOException {
        List<ClipFitter.Frame> out = new ArrayList<>();
        for (int f = 0; f < face.points().size(); f++) {
            FloatImage rgb = frames.read(f);
            if (rgb.width() != face.width() || rgb.height() != face.height()) {
                throw new IOException("frame " + f + " of " + frames.directory() + " is " + rgb.width() + "x"
                        + rgb.height() + ", the face tracking is " + face.width() + "x" + face.height());
            }
            float[] mask = null;
            if (masks != null) {
                FloatImage m = masks.read(f);
                if (m.width() != rgb.width() || m.height() != rgb.height()) {
                    throw new IOException("mask " + f + " of " + masks.directory() + " is " + m.width() + "x"
                            + m.height() + ", the frames are " + rgb.width() + "x" + rgb.height());
                }
                mask = Arrays.copyOf(m.data(), m.planeSize());
            }
            double[] facePoints = face.points().get(f);
            // the face gives MediaPipe's framing for portraits; the mask's box only for a person wholly in the frame
            PoseRegion region = faceRegion(facePoints);
            if (region == null && mask != null
                    && !PoseRegion.cutAtBottom(mask, rgb.width(), rgb.height(), MASK_THRESHOLD)) {
                region = PoseRegion.fromMask(mask, rgb.width(), rgb.height(), MASK_THRESHOLD);
            }
            double[] keypoints = null;
            if (region != null) {
                PoseLandmarker.Result r = pose.run(rgb, region);
                if (r.present()) {
                    keypoints = keypoints(r);
                }
            }
            Silhouette sil = mask != null ? new Silhouette(mask, rgb.width(), rgb.height(), MASK_THRESHOLD) : null;
            out.add(new ClipFitter.Frame(facePoints, keypoints, sil != null && sil.usable() ? sil : null));
            done.accept(f);
        }
        return out;
    }

    /** (x, y, visibility) per MediaPipe Pose point, as the fitter reads them. */
    static double[] keypoints(PoseLandmarker.Result r) {
        double[] kp = new double[BodyKeypoints.POINTS * BodyKeypoints.STRIDE];
        for (int i = 0; i < PoseLandmarker.POINTS; i++) {
            kp[BodyKeypoints.STRIDE * i] = r.points()[PoseLandmarker.VALUES * i];
            kp[BodyKeypoints.STRIDE * i + 1] = r.points()[PoseLandmarker.VALUES * i + 1];
            kp[BodyKeypoints.STRIDE * i + 2] = r.points()[PoseLandmarker.VALUES * i + 3];
        }
        return kp;
    }

    /** The pose region below the face's landmark box, or null when the frame has no face. */
    static PoseRegion faceRegion(double[] face) {
        double x0 = Double.POSITIVE_INFINITY, y0 = x0, x1 = Double.NEGATIVE_INFINITY, y1 = x1;
        for (int i = 0; i + 1 < face.length; i += 2) {
            if (!Double.isNaN(face[i]) && !Double.isNaN(face[i + 1])) {
                x0 = Math.min(x0, face[i]);
                x1 = Math.max(x1, face[i]);
                y0 = Math.min(y0, face[i + 1]);
                y1 = Math.max(y1, face[i + 1]);
            }
        }
        return x1 > x0 && y1 > y0 ? PoseRegion.fromFace(x0, y0, x1, y1) : null;
    }
}
