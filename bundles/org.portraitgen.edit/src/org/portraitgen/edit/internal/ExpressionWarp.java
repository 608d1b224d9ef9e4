package org.portraitgen.edit.internal;

import org.portraitgen.api.image.FloatImage;

/**
 * Expression guidance as a constraint on the dataset update: where an edit moved the face's landmarks away from the
 * source frame's (a wider mouth, a shifted brow), the edited image is warped so they move back, before the field is
 * trained on it. The displacement of each landmark is spread over the image by normalised Gaussian weights
 * (sigma {@code sigma} pixels), fading to zero away from the face so the background stays put.
 */
public final class ExpressionWarp {
    private ExpressionWarp() {
    }

    /**
     * @param edited   the edited image
     * @param found    landmarks found on the edited image (x,y pairs, pixels)
     * @param source   the source frame's landmarks, same order
     * @param weight   share of the displacement undone, in [0, 1]
     */
    public static FloatImage pullTowards(FloatImage edited, double[] found, double[] source, double weight,
            double sigma) {
        int w = edited.width(), h = edited.height(), n = found.length / 2;
        // the field is smooth on the scale of sigma: evaluate it on a grid of sigma/4 and interpolate
        int cell = Math.max(1, (int) (sigma / 4));
        int gw = w / cell + 2, gh = h / cell + 2;
        double[] gx = new double[gw * gh], gy = new double[gw * gh];
        double inv = 1 / (2 * sigma * sigma);
        for (int j = 0; j < gh; j++) {
            for (int i = 0; i < gw; i++) {
                double x = i * cell, y = j * cell, sw = 0.5, dx = 0, dy = 0;
                for (int k = 0; k < n; k++) {
                    double ex = x - source[2 * k], ey = y - source[2 * k + 1];
                    double g = Math.exp(-(ex * ex + ey * ey) * inv);
                    sw += g;
                    dx += g * (found[2 * k] - source[2 * k]);
                    dy += g * (found[2 * k + 1] - source[2 * k + 1]);
                }
                gx[j * gw + i] = weight * dx / sw;
                gy[j * gw + i] = weight * dy / sw;
            }
        }
        FloatImage out = new FloatImage(w, h, edited.channels());
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double fx = (double) x / cell, fy = (double) y / cell;
                int i0 = (int) fx, j0 = (int) fy;
                double ax = fx - i0, ay = fy - j0;
                int a = j0 * gw + i0;
                double dx = (gx[a] * (1 - ax) + gx[a + 1] * ax) * (1 - ay) + (gx[a + gw] * (1 - ax) + gx[a + gw + 1] * ax) * ay;
                double dy = (gy[a] * (1 - ax) + gy[a + 1] * ax) * (1 - ay) + (gy[a + gw] * (1 - ax) + gy[a + gw + 1] * ax) * ay;
                for (int c = 0; c < edited.channels(); c++) {
                    // the feature now at source + d belongs at source: sample there
                    out.set(c, x, y, Planes.sample(edited, c, x + dx, y + dy));
                }
            }
        }
        return out;
    }
}
