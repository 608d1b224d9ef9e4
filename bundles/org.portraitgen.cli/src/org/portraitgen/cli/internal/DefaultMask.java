package org.portraitgen.cli.internal;

import org.portraitgen.api.image.FloatImage;

/** The region the gallery gives editors that need one when the user supplies no mask. */
final class DefaultMask {

    private DefaultMask() {
    }

    /** A soft ellipse on the lower middle of a portrait, where a garment or a held object would go. */
    static FloatImage garment(FloatImage like) {
        int w = like.width();
        int h = like.height();
        FloatImage m = new FloatImage(w, h, 1);
        double cx = 0.5 * w;
        double cy = 0.8 * h;
        double rx = 0.22 * w;
        double ry = 0.14 * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double d = Math.hypot((x - cx) / rx, (y - cy) / ry);
                m.set(0, x, y, (float) Math.max(0, Math.min(1, (1.1 - d) * 5)));
            }
        }
        return m;
    }
}
