package org.portraitgen.tracking.internal.face;

import static org.bytedeco.opencv.global.opencv_calib3d.SOLVEPNP_ITERATIVE;
import static org.bytedeco.opencv.global.opencv_calib3d.SOLVEPNP_SQPNP;
import static org.bytedeco.opencv.global.opencv_calib3d.solvePnP;
import static org.bytedeco.opencv.global.opencv_core.CV_64F;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC2;
import static org.bytedeco.opencv.global.opencv_core.CV_64FC3;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Head pose per frame by PnP between the canonical mesh and the 2D landmarks. Only the points MediaPipe weights for
 * its Procrustes fit (forehead, nose bridge, cheekbones: little moved by expressions) take part, so a smile or an open
 * mouth does not tilt the head.
 */
public final class PoseEstimator {

    private final CanonicalFaceMesh mesh;
    private final Intrinsics camera;
    private final int[] rigidPoints;
    private double[] previousR;
    private double[] previousT;

    public PoseEstimator(CanonicalFaceMesh mesh, Intrinsics camera) {
        this.mesh = mesh;
        this.camera = camera;
        int n = 0;
        for (float w : mesh.weights()) {
            n += w > 0 ? 1 : 0;
        }
        rigidPoints = new int[n];
        for (int i = 0, k = 0; i < mesh.weights().length; i++) {
            if (mesh.weights()[i] > 0) {
                rigidPoints[k++] = i;
            }
        }
    }

    /** @param points x,y,z per landmark in image pixels */
    public HeadPose estimate(float[] points) {
        int n = rigidPoints.length;
        double[] obj = new double[3 * n], img = new double[2 * n];
        for (int k = 0; k < n; k++) {
            int i = rigidPoints[k];
            for (int c = 0; c < 3; c++) {
                obj[3 * k + c] = mesh.positions()[3 * i + c];
            }
            img[2 * k] = points[3 * i];
            img[2 * k + 1] = points[3 * i + 1];
        }
        try (Mat o = new Mat(n, 1, CV_64FC3); Mat p = new Mat(n, 1, CV_64FC2); Mat k = new Mat(3, 3, CV_64F);
                Mat dist = new Mat(); Mat r = new Mat(3, 1, CV_64F); Mat t = new Mat(3, 1, CV_64F)) {
            new DoublePointer(o.data()).put(obj);
            new DoublePointer(p.data()).put(img);
            new DoublePointer(k.data()).put(camera.fx(), 0, camera.cx(), 0, camera.fy(), camera.cy(), 0, 0, 1);
            boolean guess = previousR != null;
            if (guess) {
                new DoublePointer(r.data()).put(previousR);
                new DoublePointer(t.data()).put(previousT);
            }
            // SQPnP finds the global optimum from scratch; later frames refine the previous pose iteratively
            solvePnP(o, p, k, dist, r, t, guess, guess ? SOLVEPNP_ITERATIVE : SOLVEPNP_SQPNP);
            double[] rv = new double[3], tv = new double[3];
            new DoublePointer(r.data()).get(rv);
            new DoublePointer(t.data()).get(tv);
            previousR = rv;
            previousT = tv;
            return new HeadPose(rv, tv);
        }
    }

    /** Forgets the previous pose (after a gap), so the next estimate starts from scratch. */
    public void reset() {
        previousR = null;
        previousT = null;
    }
}
