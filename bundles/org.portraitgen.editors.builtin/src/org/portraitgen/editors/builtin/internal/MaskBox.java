package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/** The bounding box of a mask's foreground (values above one half). */
final class MaskBox {

    private MaskBox() {
    }

    /** {x, y, width, height}, or null when the mask is empty. */
    static int[] of(FloatImage mask) {
        int w = mask.width();
        int minX = w;
        int minY = mask.height();
        int maxX = -1;
        int maxY = -1;
        for (int y = 0; y < mask.height(); y++) {
            for (int x = 0; x < w; x++) {
                if (mask.data()[y * w + x] > 0.5f) {
                    minX = Math.min(minX, x);
                    maxX = Math.max(maxX, x);
                    minY = Math.min(minY, y);
                    maxY = Math.max(maxY, y);
                }
            }
        }
        return maxX < 0 ? null : new int[] {minX, minY, maxX - minX + 1, maxY - minY + 1};
    }
}
