package org.portraitgen.tracking.internal.track;

import org.portraitgen.tracking.internal.face.FaceChoice;

/**
 * @param fovDegrees       assumed horizontal field of view when {@code focalPx} is 0
 * @param focalPx          focal length in pixels, or 0 to derive it from the field of view
 * @param minPresence      face-presence score below which the face is re-detected
 * @param minTrackedShare  the least share of frames with a face for the clip to count as tracked
 * @param smoothing        One Euro minimum cut-off in Hz (lower is smoother)
 * @param expressionSize   coefficients in each frame's expression descriptor
 */
public record TrackOptions(double fovDegrees, double focalPx, FaceChoice face, double minPresence,
        double minTrackedShare, double smoothing, int expressionSize) {

    public static final TrackOptions DEFAULT = new TrackOptions(60, 0, FaceChoice.ONLY, 0.5, 0.5, 3.0, 16);
}
