package org.portraitgen.video.internal.grade;

import static org.portraitgen.core.ColorSpaces.clamp01;
import static org.portraitgen.core.ColorSpaces.linearToSrgb;
import static org.portraitgen.core.ColorSpaces.luma;
import static org.portraitgen.core.ColorSpaces.srgbToLinear;

import org.portraitgen.api.image.FloatImage;

/**
 * A colour grade of RGB frames in [0, 1] (sRGB-encoded, as frame stores hold them). Exposure and white balance act on
 * linear light, where they are physical (a gain on the light); contrast, saturation and the look act on the encoded
 * values, where equal steps look equal. With neutral settings the output equals the input bit for bit.
 *
 * @param exposure    stops: each +1 doubles the linear light
 * @param contrast    slope around mid-grey 0.5 (1: unchanged)
 * @param saturation  chroma scale around Rec. 709 luma (0: grey, 1: unchanged)
 * @param temperature -1 (cooler, bluer) to +1 (warmer, redder)
 * @param tint        -1 (greener) to +1 (more magenta)
 * @param look        a named look applied last
 * @param lookAmount  blend of the look over the corrected image (0: off, 1: full)
 */
public record ColorGrade(double exposure, double contrast, double saturation, double temperature, double tint,
        Look look, double lookAmount) {

    /**
     * How far temperature/tint at +-1 move the channel gains: red/blue 1.25/0.75, a ratio of 1.67, roughly what a
     * 2000 K change of white balance around daylight does.
     */
    private static final float WHITE_BALANCE_RANGE = 0.25f;

    public static final ColorGrade NEUTRAL = new ColorGrade(0, 1, 1, 0, 0, Look.NONE, 1);

    public ColorGrade {
        if (!(contrast >= 0) || !(saturation >= 0) || !(lookAmount >= 0 && lookAmount <= 1)
                || !Double.isFinite(exposure) || !(Math.abs(temperature) <= 1) || !(Math.abs(tint) <= 1)) {
            throw new IllegalArgumentException("colour grade out of range: " + exposure + " EV, contrast "
                    + contrast + ", saturation " + saturation + ", temperature " + temperature + ", tint " + tint
                    + ", look amount " + lookAmount);
        }
        if (look == null) {
            throw new IllegalArgumentException("colour grade needs a look (\"none\" for no look)");
        }
    }

    /** Grades a 3-channel image into a new one. */
    public FloatImage apply(FloatImage in) {
        if (in.channels() != 3) {
            throw new IllegalArgumentException("colour grading needs RGB frames, got " + in);
        }
        float[] gains = whiteBalanceGains();
        float exposureGain = (float) Math.pow(2, exposure);
        boolean linearStep = exposure != 0 || temperature != 0 || tint != 0;
        FloatImage out = new FloatImage(in.width(), in.height(), 3);
        float[] src = in.data();
        float[] dst = out.data();
        int plane = in.planeSize();
        float[] rgb = new float[3];
        float[] before = new float[3];
        float[] scratch = new float[3];
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                float v = src[c * plane + i];
                // skipped when neutral: the sRGB round trip would cost time and add float noise for nothing
                rgb[c] = linearStep ? linearToSrgb(srgbToLinear(v) * exposureGain * gains[c]) : v;
            }
            float y = luma(rgb[0], rgb[1], rgb[2]);
            for (int c = 0; c < 3; c++) {
                float v = 0.5f + (rgb[c] - 0.5f) * (float) contrast;
                float yc = 0.5f + (y - 0.5f) * (float) contrast;
                rgb[c] = yc + (float) saturation * (v - yc);
                before[c] = rgb[c];
            }
            if (look != Look.NONE) {
                look.apply(rgb, scratch);
                // written as a weighted sum so amounts 0 and 1 give either side exactly (mono stays R = G = B)
                float a = (float) lookAmount;
                for (int c = 0; c < 3; c++) {
                    rgb[c] = (1 - a) * before[c] + a * rgb[c];
                }
            }
            for (int c = 0; c < 3; c++) {
                dst[c * plane + i] = clamp01(rgb[c]);
            }
        }
        return out;
    }

    /** Per-channel gains for temperature and tint, scaled so a neutral grey keeps its luminance. */
    float[] whiteBalanceGains() {
        float r = 1 + WHITE_BALANCE_RANGE * (float) temperature;
        float g = 1 - WHITE_BALANCE_RANGE * (float) tint;
        float b = 1 - WHITE_BALANCE_RANGE * (float) temperature;
        float norm = luma(r, g, b);
        return new float[] { r / norm, g / norm, b / norm };
    }
}
