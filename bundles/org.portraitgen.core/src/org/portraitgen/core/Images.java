package org.portraitgen.core;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

import org.portraitgen.api.image.FloatImage;

/**
 * Conversions between {@link BufferedImage} and planar {@link FloatImage}. Values are the 8-bit codes divided by 255
 * (sRGB-encoded, not linearised): frame stores keep what the video held, and colour work linearises where it needs
 * to ({@link ColorSpaces}).
 */
public final class Images {

    private Images() {
    }

    /**
     * Reads RGB planes (3 channels) or a grey plane (1 channel) from any image type. Grey and RGB rasters are read as
     * raw samples: {@code getRGB} would pass a grey image through Java's linear grey colour space and brighten it.
     */
    public static FloatImage toFloat(BufferedImage image, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("only 1 or 3 channels convert from a BufferedImage, not " + channels);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        FloatImage out = new FloatImage(w, h, channels);
        float[] d = out.data();
        int plane = w * h;
        int bands = rawBands(image);
        int[] row = new int[w * Math.max(bands, 1)];
        for (int y = 0; y < h; y++) {
            if (bands > 0) {
                image.getRaster().getPixels(0, y, w, 1, row);
            } else {
                image.getRGB(0, y, w, 1, row, 0, w);
            }
            for (int x = 0; x < w; x++) {
                float r;
                float g;
                float b;
                if (bands == 1) {
                    r = g = b = row[x] / 255f;
                } else if (bands > 1) {
                    r = row[x * bands] / 255f;
                    g = row[x * bands + 1] / 255f;
                    b = row[x * bands + 2] / 255f;
                } else {
                    int argb = row[x];
                    r = ((argb >> 16) & 0xff) / 255f;
                    g = ((argb >> 8) & 0xff) / 255f;
                    b = (argb & 0xff) / 255f;
                }
                int i = y * w + x;
                if (channels == 3) {
                    d[i] = r;
                    d[plane + i] = g;
                    d[2 * plane + i] = b;
                } else {
                    d[i] = bands == 1 ? r : ColorSpaces.luma(r, g, b);
                }
            }
        }
        return out;
    }

    /**
     * How many raster bands to read directly: 1 for 8-bit grey, 3 or 4 for 8-bit RGB(A) whose bands come in R, G,
     * B order; 0 when only {@code getRGB} is safe (indexed, 16-bit, other colour spaces).
     */
    private static int rawBands(BufferedImage image) {
        return switch (image.getType()) {
            case BufferedImage.TYPE_BYTE_GRAY -> 1;
            case BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_BGR -> 3;
            case BufferedImage.TYPE_4BYTE_ABGR, BufferedImage.TYPE_INT_ARGB -> 4;
            default -> 0;
        };
    }

    /** RGB planes for a 3-channel result, one grey plane for 1 channel; values clamped to [0, 1] and rounded. */
    public static BufferedImage toBufferedImage(FloatImage image) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        float[] d = image.data();
        if (image.channels() == 1) {
            BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
            for (int i = 0; i < plane; i++) {
                px[i] = (byte) toByte(d[i]);
            }
            return out;
        }
        if (image.channels() != 3) {
            throw new IllegalArgumentException("only 1 or 3 channels convert to a BufferedImage: " + image);
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] px = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int i = 0; i < plane; i++) {
            px[3 * i] = (byte) toByte(d[2 * plane + i]);
            px[3 * i + 1] = (byte) toByte(d[plane + i]);
            px[3 * i + 2] = (byte) toByte(d[i]);
        }
        return out;
    }

    /** Rounds a value in [0, 1] to an 8-bit code, clamping out-of-range values and mapping NaN to 0. */
    public static int toByte(float v) {
        if (!(v > 0)) {
            return 0;
        }
        return v >= 1 ? 255 : Math.round(v * 255f);
    }
}
