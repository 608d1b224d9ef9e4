package org.portraitgen.tracking.internal.face;

import java.util.List;
import java.util.Optional;

import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Follows one face through consecutive frames: detect, then run the landmark model on a crop derived from the
 * previous frame's landmarks; re-detect when the face-presence score drops below the threshold. One instance per clip.
 */
public final class FaceTracker {

    /** The landmarks of one frame (image pixels, x,y,z per point), or null points when no face was found. */
    public record FrameResult(float[] points, double presence, boolean redetected) {
    }

    private final FaceDetector detector;
    private final FaceLandmarker landmarker;
    private final FaceChoice choice;
    private final double minPresence;
    private FaceRoi roi;
    private Detection lastFace;
    private int detections;

    public FaceTracker(FaceDetector detector, FaceLandmarker landmarker, FaceChoice choice, double minPresence) {
        this.detector = detector;
        this.landmarker = landmarker;
        this.choice = choice;
        this.minPresence = minPresence;
    }

    public FrameResult next(Mat bgr, int frameIndex) throws SeveralFacesException {
        if (roi != null) {
            FaceLandmarker.Result r = landmarker.run(bgr, roi);
            if (r.presence() >= minPresence) {
                roi = FaceRoi.fromLandmarks(r.points());
                return new FrameResult(r.points(), r.presence(), false);
            }
        }
        Optional<Detection> face = detect(bgr, frameIndex);
        if (face.isEmpty()) {
            roi = null;
            return new FrameResult(null, 0, true);
        }
        FaceLandmarker.Result r = landmarker.run(bgr, FaceRoi.fromDetection(face.get()));
        if (r.presence() < minPresence) {
            roi = null;
            return new FrameResult(null, r.presence(), true);
        }
        // a second pass on the landmark-derived crop: the detector's box is looser than the model was trained on
        FaceLandmarker.Result refined = landmarker.run(bgr, FaceRoi.fromLandmarks(r.points()));
        if (refined.presence() >= r.presence()) {
            r = refined;
        }
        roi = FaceRoi.fromLandmarks(r.points());
        return new FrameResult(r.points(), r.presence(), true);
    }

    /** How many times the detector ran. */
    public int detections() {
        return detections;
    }

    private Optional<Detection> detect(Mat bgr, int frameIndex) throws SeveralFacesException {
        detections++;
        List<Detection> faces = detector.detect(bgr);
        if (faces.isEmpty()) {
            return Optional.empty();
        }
        Optional<Detection> chosen;
        if (lastFace != null) {
            // once a face was chosen, stay with the one nearest to it
            Detection prev = lastFace;
            chosen = faces.stream().min((a, b) -> Double.compare(
                    Math.hypot(a.centerX() - prev.centerX(), a.centerY() - prev.centerY()),
                    Math.hypot(b.centerX() - prev.centerX(), b.centerY() - prev.centerY())));
        } else {
            chosen = choice.choose(faces, bgr.cols(), bgr.rows());
            if (chosen.isEmpty()) {
                throw new SeveralFacesException("frame " + frameIndex + " shows " + faces.size()
                        + " faces of similar size; set parameter 'face' to 'largest' or 'center' to choose one");
            }
        }
        lastFace = chosen.get();
        return chosen;
    }
}
