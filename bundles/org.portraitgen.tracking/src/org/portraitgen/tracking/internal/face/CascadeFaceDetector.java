package org.portraitgen.tracking.internal.face;

import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.cvtColor;
import static org.bytedeco.opencv.global.opencv_imgproc.equalizeHist;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.bytedeco.opencv.global.opencv_objdetect;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Rect;
import org.bytedeco.opencv.opencv_core.RectVector;
import org.bytedeco.opencv.opencv_core.Size;
import org.bytedeco.opencv.opencv_objdetect.CascadeClassifier;

/**
 * OpenCV's frontal-face Haar cascade, used when the neural detector's model file is absent. The cascade ships in the
 * OpenCV natives fragment; CascadeClassifier wants a file, so it is copied out once per instance.
 */
public final class CascadeFaceDetector implements FaceDetector {

    private static final String RESOURCE =
            "/org/bytedeco/opencv/linux-x86_64/share/opencv4/haarcascades/haarcascade_frontalface_default.xml";
    private final CascadeClassifier cascade;

    public CascadeFaceDetector() {
        try (InputStream in = opencv_objdetect.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("OpenCV's Haar cascade " + RESOURCE + " is not on the class path");
            }
            Path tmp = Files.createTempFile("haarcascade", ".xml");
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            cascade = new CascadeClassifier(tmp.toString());
            Files.deleteIfExists(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "opencv-haar-frontalface";
    }

    @Override
    public List<Detection> detect(Mat bgr) {
        List<Detection> out = new ArrayList<>();
        try (Mat gray = new Mat(); RectVector rects = new RectVector()) {
            cvtColor(bgr, gray, COLOR_BGR2GRAY);
            equalizeHist(gray, gray);
            int min = Math.max(24, Math.min(bgr.cols(), bgr.rows()) / 10);
            cascade.detectMultiScale(gray, rects, 1.1, 5, 0, new Size(min, min), new Size());
            for (long i = 0; i < rects.size(); i++) {
                Rect r = rects.get(i);
                out.add(new Detection(r.x(), r.y(), r.x() + r.width(), r.y() + r.height(), 0.9, new double[0]));
            }
        }
        out.sort(BlazeFaceDetector.BY_SCORE.thenComparing((a, b) -> Double.compare(b.area(), a.area())));
        return out;
    }

    @Override
    public void close() {
        cascade.close();
    }
}
