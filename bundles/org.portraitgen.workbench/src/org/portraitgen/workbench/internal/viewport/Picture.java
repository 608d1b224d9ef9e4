package org.portraitgen.workbench.internal.viewport;

import java.nio.ByteBuffer;

import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.portraitgen.api.image.FloatImage;

/**
 * One layer of the viewport as straight RGBA bytes, rows top to bottom: what both surfaces draw (the GL one uploads
 * it as a texture unchanged).
 *
 * @param rgba [height, width, 4]
 */
public record Picture(int width, int height, byte[] rgba) {

    public Picture {
        if (rgba.length != 4 * width * height) {
            throw new IllegalArgumentException("picture " + width + "x" + height + " needs " + 4 * width * height
                    + " bytes, has " + rgba.length);
        }
    }

    /** An image file's pixels (PNG frames of a frame store), alpha from its transparency if it has any. */
    public static Picture of(ImageData d) {
        byte[] out = new byte[4 * d.width * d.height];
        PaletteData palette = d.palette;
        int[] row = new int[d.width];
        byte[] alphas = new byte[d.width];
        boolean alpha = d.alphaData != null || d.alpha != -1;
        for (int y = 0; y < d.height; y++) {
            d.getPixels(0, y, d.width, row, 0); // a row at a time: full-HD frames stay in the tens of ms
            if (alpha) {
                d.getAlphas(0, y, d.width, alphas, 0);
            }
            for (int x = 0; x < d.width; x++) {
                int o = 4 * (y * d.width + x);
                if (palette.isDirect) {
                    out[o] = (byte) channel(row[x], palette.redMask, palette.redShift);
                    out[o + 1] = (byte) channel(row[x], palette.greenMask, palette.greenShift);
                    out[o + 2] = (byte) channel(row[x], palette.blueMask, palette.blueShift);
                } else {
                    RGB c = palette.getRGB(row[x]);
                    out[o] = (byte) c.red;
                    out[o + 1] = (byte) c.green;
                    out[o + 2] = (byte) c.blue;
                }
                out[o + 3] = alpha ? alphas[x] : (byte) 255;
            }
        }
        return new Picture(d.width, d.height, out);
    }

    /** One channel of a direct-palette pixel, as SWT's PaletteData.getRGB computes it. */
    private static int channel(int pixel, int mask, int shift) {
        int v = pixel & mask;
        return shift < 0 ? v >>> -shift : v << shift;
    }

    /** A field render: planar linear floats in [0, 1], 1 (grey) or 3 channels. */
    public static Picture of(FloatImage img) {
        int n = img.planeSize();
        byte[] out = new byte[4 * n];
        float[] d = img.data();
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                float v = d[(img.channels() >= 3 ? c : 0) * n + i];
                out[4 * i + c] = (byte) Math.round(255 * Math.max(0, Math.min(1, v)));
            }
            out[4 * i + 3] = (byte) 255;
        }
        return new Picture(img.width(), img.height(), out);
    }

    /** A mask as a coloured, half-transparent overlay: coverage scales the alpha, so the frame shows through. */
    public Picture tinted(int red, int green, int blue, double opacity) {
        byte[] out = new byte[rgba.length];
        for (int i = 0; i < rgba.length; i += 4) {
            int coverage = rgba[i] & 0xff; // masks are grey: any channel is the coverage
            out[i] = (byte) red;
            out[i + 1] = (byte) green;
            out[i + 2] = (byte) blue;
            out[i + 3] = (byte) Math.round(coverage * opacity);
        }
        return new Picture(width, height, out);
    }

    ByteBuffer direct() {
        ByteBuffer b = ByteBuffer.allocateDirect(rgba.length);
        b.put(rgba).flip();
        return b;
    }

    /** The part of a {@code w x h} area this picture fills when fitted with its aspect kept, centred. */
    public int[] fitIn(int w, int h) {
        double scale = Math.min((double) w / width, (double) h / height);
        int fw = Math.max(1, (int) Math.round(width * scale));
        int fh = Math.max(1, (int) Math.round(height * scale));
        return new int[] {(w - fw) / 2, (h - fh) / 2, fw, fh};
    }
}
