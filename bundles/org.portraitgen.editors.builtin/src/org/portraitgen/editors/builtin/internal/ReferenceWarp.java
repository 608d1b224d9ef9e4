package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.image.FloatImage;

/** Places a reference image into a box of a frame, stretched or scaled to cover the box and centre-cropped. */
final class ReferenceWarp {

    private ReferenceWarp() {
    }

    /** A copy of {@code image} with the reference drawn into {@code box} = {x, y, w, h}. */
    static FloatImage into(FloatImage image, FloatImage reference, int[] box, boolean cover) {
        FloatImage source = cover ? cropToAspect(reference, (double) box[2] / box[3]) : reference;
        FloatImage fitted = Planes.resize(source, box[2], box[3]);
        FloatImage out = image.copy();
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < box[3]; y++) {
                for (int x = 0; x < box[2]; x++) {
                    out.set(c, box[0] + x, box[1] + y, fitted.get(c, x, y));
                }
            }
        }
        return out;
    }

    private static FloatImage cropToAspect(FloatImage ref, double aspect) {
        int w = ref.width();
        int h = ref.height();
        int cw = Math.max(1, Math.min(w, (int) Math.round(h * aspect)));
        int ch = Math.max(1, Math.min(h, (int) Math.round(w / aspect)));
        int x0 = (w - cw) / 2;
        int y0 = (h - ch) / 2;
        FloatImage out = new FloatImage(cw, ch, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < ch; y++) {
                for (int x = 0; x < cw; x++) {
                    out.set(c, x, y, ref.get(c, x0 + x, y0 + y));
                }
            }
        }
        return out;
    }
}
