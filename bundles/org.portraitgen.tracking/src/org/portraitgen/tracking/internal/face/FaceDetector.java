package org.portraitgen.tracking.internal.face;

import java.util.List;

import org.bytedeco.opencv.opencv_core.Mat;

/** Finds faces in a BGR frame, best first. */
public interface FaceDetector extends AutoCloseable {

    List<Detection> detect(Mat bgr);

    /** A short name for logs and the tracking file. */
    String name();

    @Override
    void close();
}
