package org.portraitgen.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.portraitgen.core.ColorSpaces;

class ColorSpacesTest {

    @Test
    void srgbCurveMatchesKnownValues() {
        // IEC 61966-2-1: code 0.5 is 21.4 % linear light; 0.04045 is the end of the linear toe
        assertEquals(0.21404, ColorSpaces.srgbToLinear(0.5f), 1e-5);
        assertEquals(0.04045 / 12.92, ColorSpaces.srgbToLinear(0.04045f), 1e-7);
        assertEquals(1.0, ColorSpaces.srgbToLinear(1f), 1e-6);
        assertEquals(0.0, ColorSpaces.srgbToLinear(0f), 0);
    }

    @Test
    void srgbRoundTripsEveryEightBitCode() {
        for (int code = 0; code < 256; code++) {
            float v = code / 255f;
            assertEquals(v, ColorSpaces.linearToSrgb(ColorSpaces.srgbToLinear(v)), 1e-5, "code " + code);
        }
    }

    @Test
    void ycbcrRoundTripsAndGreyHasNoChroma() {
        float[] ycc = new float[3];
        float[] rgb = new float[3];
        ColorSpaces.rgbToYcbcr(0.4f, 0.4f, 0.4f, ycc);
        assertEquals(0.4f, ycc[0], 1e-6);
        assertEquals(0f, ycc[1], 1e-6);
        assertEquals(0f, ycc[2], 1e-6);
        ColorSpaces.rgbToYcbcr(0.9f, 0.2f, 0.35f, ycc);
        ColorSpaces.ycbcrToRgb(ycc[0], ycc[1], ycc[2], rgb);
        assertEquals(0.9f, rgb[0], 1e-5);
        assertEquals(0.2f, rgb[1], 1e-5);
        assertEquals(0.35f, rgb[2], 1e-5);
        // pure blue has the largest Cb: exactly 0.5 by the full-range definition
        ColorSpaces.rgbToYcbcr(0, 0, 1, ycc);
        assertEquals(0.5f, ycc[1], 1e-6);
    }
}
