package org.portraitgen.video.internal;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/** Crops and scales decoded frames in Java2D, into fresh TYPE_3BYTE_BGR images the frame store writes as is. */
final class Resampler {

    private Resampler() {
    }

    /**
     * Applies the crop and resize of {@code g}: the source itself when there is nothing to do, otherwise a new image
     * (never a sub-image view, which would share the source's raster).
     */
    static BufferedImage apply(BufferedImage source, FrameGeometry g) {
        if (!g.crops(source.getWidth(), source.getHeight()) && !g.resizes()) {
            return source;
        }
        BufferedImage cropped = source.getSubimage(g.cropX(), g.cropY(), g.cropWidth(), g.cropHeight());
        if (!g.resizes()) {
            return draw(cropped, g.width(), g.height(), RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        }
        BufferedImage current = cropped;
        // Java2D's bilinear and bicubic filters sample only 2x2 / 4x4 source pixels, so shrinking by more than half
        // in one step aliases; halving repeatedly averages every pixel like a box filter would.
        while (current.getWidth() >= 2 * g.width() || current.getHeight() >= 2 * g.height()) {
            int w = Math.max(g.width(), current.getWidth() / 2);
            int h = Math.max(g.height(), current.getHeight() / 2);
            current = draw(current, w, h, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() == g.width() && current.getHeight() == g.height() && current != cropped) {
            return current;
        }
        return draw(current, g.width(), g.height(), RenderingHints.VALUE_INTERPOLATION_BICUBIC);
    }

    private static BufferedImage draw(BufferedImage source, int width, int height, Object interpolation) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return out;
    }
}
