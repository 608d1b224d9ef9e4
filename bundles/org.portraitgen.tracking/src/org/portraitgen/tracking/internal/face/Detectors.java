package org.portraitgen.tracking.internal.face;

import org.portraitgen.tracking.internal.models.MissingModelException;
import org.portraitgen.tracking.internal.models.ModelFiles;

/** Picks the face detector: MediaPipe's when its model file is installed, else OpenCV's Haar cascade. */
public final class Detectors {

    /** BlazeFace's score threshold, as in MediaPipe's face detection graph. */
    static final double MIN_SCORE = 0.5;

    private Detectors() {
    }

    public static FaceDetector forModels(ModelFiles models) throws MissingModelException {
        if (models.has(ModelFiles.FACE_DETECTION)) {
            return new BlazeFaceDetector(models.require(ModelFiles.FACE_DETECTION), MIN_SCORE);
        }
        return new CascadeFaceDetector();
    }
}
