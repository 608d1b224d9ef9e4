package org.portraitgen.editors.builtin.internal;

/**
 * Solid LEGO brick colours (sRGB as published in BrickLink's/Rebrickable's colour tables), with the skin and hair
 * tones (nougats, tans, browns) a portrait needs.
 */
final class LegoPalette {

    private static final int[] HEX = {
        0xF4F4F4, // White
        0xA0A5A9, // Light Bluish Gray
        0x6C6E68, // Dark Bluish Gray
        0x1B2A34, // Black
        0xC91A09, // Red
        0x720E0F, // Dark Red
        0xFE8A18, // Orange
        0xA95500, // Dark Orange
        0xF2CD37, // Yellow
        0xF8F184, // Bright Light Yellow
        0xE4CD9E, // Tan
        0x958A73, // Dark Tan
        0x582A12, // Reddish Brown
        0x352100, // Dark Brown
        0xF6D7B3, // Light Nougat
        0xD09168, // Nougat
        0xAA7D55, // Medium Nougat
        0x237841, // Green
        0x4B9F4A, // Bright Green
        0x184632, // Dark Green
        0xA0BCAC, // Sand Green
        0x0055BF, // Blue
        0x0A3463, // Dark Blue
        0x5A93DB, // Medium Blue
        0x6074A1, // Sand Blue
        0xE4ADC8, // Bright Pink
        0x923978, // Magenta
        0x3F3691, // Dark Purple
        0x9B9A5A, // Olive Green
    };

    private LegoPalette() {
    }

    /** [n][3] RGB in [0, 1]. */
    static float[][] colours() {
        float[][] p = new float[HEX.length][3];
        for (int i = 0; i < HEX.length; i++) {
            p[i][0] = ((HEX[i] >> 16) & 0xff) / 255f;
            p[i][1] = ((HEX[i] >> 8) & 0xff) / 255f;
            p[i][2] = (HEX[i] & 0xff) / 255f;
        }
        return p;
    }
}
