package org.portraitgen.core;

/**
 * Colour conversions on single values in [0, 1]: the sRGB transfer curve (IEC 61966-2-1), Rec. 709 luma and
 * full-range YCbCr (BT.709 coefficients). Per-value methods keep them usable from any per-pixel loop.
 */
public final class ColorSpaces {

    /** Rec. 709 / sRGB luma weights for R, G and B. */
    public static final float KR = 0.2126f;
    public static final float KG = 0.7152f;
    public static final float KB = 0.0722f;

    private ColorSpaces() {
    }

    /** sRGB-encoded value to linear light; negative input stays negative (mirrored curve). */
    public static float srgbToLinear(float v) {
        float a = Math.abs(v);
        float lin = a <= 0.04045f ? a / 12.92f : (float) Math.pow((a + 0.055f) / 1.055f, 2.4f);
        return Math.copySign(lin, v);
    }

    /** Linear light to the sRGB-encoded value; the inverse of {@link #srgbToLinear}. */
    public static float linearToSrgb(float v) {
        float a = Math.abs(v);
        float enc = a <= 0.0031308f ? a * 12.92f : 1.055f * (float) Math.pow(a, 1 / 2.4f) - 0.055f;
        return Math.copySign(enc, v);
    }

    public static float luma(float r, float g, float b) {
        return KR * r + KG * g + KB * b;
    }

    /**
     * RGB to full-range YCbCr with BT.709 weights: {@code out[0]} = Y in [0, 1], {@code out[1]} = Cb and
     * {@code out[2]} = Cr in [-0.5, 0.5] (no 16..235 studio range: these are working values, not a video format).
     */
    public static void rgbToYcbcr(float r, float g, float b, float[] out) {
        float y = luma(r, g, b);
        out[0] = y;
        out[1] = (b - y) / (2 * (1 - KB));
        out[2] = (r - y) / (2 * (1 - KR));
    }

    /** The inverse of {@link #rgbToYcbcr}: {@code out} receives R, G, B. */
    public static void ycbcrToRgb(float y, float cb, float cr, float[] out) {
        float r = y + 2 * (1 - KR) * cr;
        float b = y + 2 * (1 - KB) * cb;
        out[0] = r;
        out[1] = (y - KR * r - KB * b) / KG;
        out[2] = b;
    }

    public static float clamp01(float v) {
        return v < 0 ? 0 : v > 1 ? 1 : v;
    }
}
