package org.portraitgen.tracking.internal.face;

/**
 * A face box in image pixels with its score and, from the neural detector, six keypoints (right eye, left eye, nose
 * tip, mouth centre, right ear, left ear) as x,y pairs; {@code keypoints} is empty for the cascade fallback.
 */
public record Detection(double x0, double y0, double x1, double y1, double score, double[] keypoints) {

    public double width() {
        return x1 - x0;
    }

    public double height() {
        return y1 - y0;
    }

    public double area() {
        return Math.max(0, width()) * Math.max(0, height());
    }

    public double centerX() {
        return (x0 + x1) / 2;
    }

    public double centerY() {
        return (y0 + y1) / 2;
    }

    public double iou(Detection o) {
        double ix = Math.min(x1, o.x1) - Math.max(x0, o.x0), iy = Math.min(y1, o.y1) - Math.max(y0, o.y0);
        if (ix <= 0 || iy <= 0) {
            return 0;
        }
        double inter = ix * iy;
        return inter / (area() + o.area() - inter);
    }

    /** Roll of the face from the eye keypoints (radians, image y down); 0 without keypoints. */
    public double roll() {
        if (keypoints.length < 4) {
            return 0;
        }
        // keypoint 0 is the subject's right eye, on the image's left
        return Math.atan2(keypoints[3] - keypoints[1], keypoints[2] - keypoints[0]);
    }
}
