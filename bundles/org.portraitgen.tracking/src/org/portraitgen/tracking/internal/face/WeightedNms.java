package org.portraitgen.tracking.internal.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * MediaPipe's weighted non-maximum suppression: overlapping candidates are averaged with their scores as weights
 * instead of dropped, which steadies the box from frame to frame.
 */
final class WeightedNms {

    private WeightedNms() {
    }

    static List<Detection> apply(List<Detection> candidates, double iouThreshold) {
        List<Detection> rest = new ArrayList<>(candidates);
        rest.sort(Comparator.comparingDouble(Detection::score).reversed());
        List<Detection> out = new ArrayList<>();
        while (!rest.isEmpty()) {
            Detection best = rest.get(0);
            List<Detection> cluster = new ArrayList<>();
            for (Detection d : rest) {
                if (best.iou(d) > iouThreshold) {
                    cluster.add(d);
                }
            }
            rest.removeAll(cluster);
            out.add(average(best, cluster));
        }
        return out;
    }

    private static Detection average(Detection best, List<Detection> cluster) {
        double sw = 0, x0 = 0, y0 = 0, x1 = 0, y1 = 0;
        double[] kp = new double[best.keypoints().length];
        for (Detection d : cluster) {
            double w = d.score();
            sw += w;
            x0 += w * d.x0();
            y0 += w * d.y0();
            x1 += w * d.x1();
            y1 += w * d.y1();
            for (int k = 0; k < kp.length; k++) {
                kp[k] += w * d.keypoints()[k];
            }
        }
        for (int k = 0; k < kp.length; k++) {
            kp[k] /= sw;
        }
        return new Detection(x0 / sw, y0 / sw, x1 / sw, y1 / sw, best.score(), kp);
    }
}
