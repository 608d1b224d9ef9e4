package org.portraitgen.tracking.internal.track;

import java.util.Arrays;

import org.portraitgen.tracking.internal.face.HeadPose;
import org.portraitgen.tracking.internal.face.Intrinsics;

/** Reprojection error, jitter and lag of a tracked clip (see {@link TrackStats}). */
public final class TrackMetrics {

    private TrackMetrics() {
    }

    static TrackStats measure(float[][] raw, float[][] smooth, float[][] vertices, Intrinsics camera, int faceN,
            int detections, HeadPose[] rawPoses, HeadPose[] poses) {
        int n = raw.length, tracked = 0;
        double[] errors = new double[n * faceN];
        int e = 0;
        for (int f = 0; f < n; f++) {
            if (raw[f] == null) {
                continue;
            }
            tracked++;
            for (int i = 0; i < faceN; i++) {
                double[] p = camera.project(vertices[f][3 * i], vertices[f][3 * i + 1], vertices[f][3 * i + 2]);
                errors[e++] = Math.hypot(p[0] - raw[f][3 * i], p[1] - raw[f][3 * i + 1]);
            }
        }
        double[] errs = Arrays.copyOf(errors, e);
        Arrays.sort(errs);
        double mean = Arrays.stream(errs).average().orElse(Double.NaN);
        double p95 = errs.length == 0 ? Double.NaN : errs[(int) Math.min(errs.length - 1, Math.floor(0.95 * errs.length))];
        return new TrackStats(n, tracked, detections, mean, p95, jitter(raw, faceN), jitter(smooth, faceN),
                lag(raw, smooth, faceN), Math.toDegrees(poseJitter(rawPoses, true)),
                Math.toDegrees(poseJitter(poses, true)), 10 * poseJitter(rawPoses, false),
                10 * poseJitter(poses, false));
    }

    /** Mean norm of the second difference of the rotation vectors (radians; small angles) or translations (cm). */
    static double poseJitter(HeadPose[] poses, boolean rotation) {
        double sum = 0;
        int count = 0;
        for (int f = 1; f + 1 < poses.length; f++) {
            double[] a = rotation ? poses[f - 1].rvec() : poses[f - 1].t(), b = rotation ? poses[f].rvec() : poses[f].t();
            double[] c = rotation ? poses[f + 1].rvec() : poses[f + 1].t();
            sum += Math.sqrt(sq(c[0] - 2 * b[0] + a[0]) + sq(c[1] - 2 * b[1] + a[1]) + sq(c[2] - 2 * b[2] + a[2]));
            count++;
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    private static double sq(double v) {
        return v * v;
    }

    /** Mean length of the second difference of each 2D landmark over runs of three tracked frames. */
    public static double jitter(float[][] pts, int faceN) {
        double sum = 0;
        long count = 0;
        for (int f = 1; f + 1 < pts.length; f++) {
            if (pts[f - 1] == null || pts[f] == null || pts[f + 1] == null) {
                continue;
            }
            for (int i = 0; i < faceN; i++) {
                double ax = pts[f + 1][3 * i] - 2 * pts[f][3 * i] + pts[f - 1][3 * i];
                double ay = pts[f + 1][3 * i + 1] - 2 * pts[f][3 * i + 1] + pts[f - 1][3 * i + 1];
                sum += Math.hypot(ax, ay);
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /**
     * The time shift (frames, step 0.1 in [-3, 3]) minimising the squared distance between the smoothed centroid
     * track and the raw one shifted; positive means the smoothed track trails the raw one.
     */
    static double lag(float[][] raw, float[][] smooth, int faceN) {
        int n = raw.length;
        double[][] rc = new double[n][], sc = new double[n][];
        for (int f = 0; f < n; f++) {
            rc[f] = raw[f] == null ? null : centroid(raw[f], faceN);
            sc[f] = centroid(smooth[f], faceN);
        }
        double best = 0, bestCost = Double.MAX_VALUE;
        for (int s = -30; s <= 30; s++) {
            double shift = s / 10.0, cost = 0;
            int count = 0;
            for (int f = 4; f < n - 4; f++) {
                double t = f - shift;
                int a = (int) Math.floor(t);
                double u = t - a;
                if (rc[a] == null || rc[a + 1] == null) {
                    continue;
                }
                for (int d = 0; d < 2; d++) {
                    double r = rc[a][d] * (1 - u) + rc[a + 1][d] * u;
                    cost += (sc[f][d] - r) * (sc[f][d] - r);
                }
                count++;
            }
            if (count > 0 && cost / count < bestCost) {
                bestCost = cost / count;
                best = shift;
            }
        }
        return best;
    }

    private static double[] centroid(float[] p, int faceN) {
        double x = 0, y = 0;
        for (int i = 0; i < faceN; i++) {
            x += p[3 * i];
            y += p[3 * i + 1];
        }
        return new double[] { x / faceN, y / faceN };
    }
}
