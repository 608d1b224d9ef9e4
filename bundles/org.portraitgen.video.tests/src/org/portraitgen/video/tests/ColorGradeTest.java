package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.ColorSpaces;
import org.portraitgen.video.internal.grade.ColorGrade;
import org.portraitgen.video.internal.grade.Look;

/** The grade's maths on small planar images, checked against what each control means. */
class ColorGradeTest {

    /** One pixel per value: R, G, B given. */
    static FloatImage pixel(float r, float g, float b) {
        return new FloatImage(1, 1, 3, new float[] { r, g, b });
    }

    static FloatImage random(int w, int h, long seed) {
        Random rnd = new Random(seed);
        FloatImage img = new FloatImage(w, h, 3);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = Math.round(rnd.nextFloat() * 255) / 255f;
        }
        return img;
    }

    static ColorGrade with(double exposure, double contrast, double saturation, double temp, double tint,
            Look look) {
        return new ColorGrade(exposure, contrast, saturation, temp, tint, look, 1);
    }

    @Test
    void neutralSettingsReturnTheInput() {
        FloatImage in = random(7, 5, 1);
        assertArrayEquals(in.data(), ColorGrade.NEUTRAL.apply(in).data(), 1e-6f);
    }

    @Test
    void exposureOfOneStopDoublesLinearLight() {
        float v = 0.3f;
        FloatImage out = with(1, 1, 1, 0, 0, Look.NONE).apply(pixel(v, v, v));
        float expected = ColorSpaces.linearToSrgb(2 * ColorSpaces.srgbToLinear(v));
        assertEquals(expected, out.get(0, 0, 0), 1e-5);
        assertEquals(expected, out.get(2, 0, 0), 1e-5, "grey stays grey");
    }

    @Test
    void contrastPivotsOnMidGrey() {
        ColorGrade c = with(0, 1.5, 1, 0, 0, Look.NONE);
        assertEquals(0.5f, c.apply(pixel(0.5f, 0.5f, 0.5f)).get(1, 0, 0), 1e-6);
        assertEquals(0.8f, c.apply(pixel(0.7f, 0.7f, 0.7f)).get(1, 0, 0), 1e-6);
        assertEquals(0.0f, c.apply(pixel(0.1f, 0.1f, 0.1f)).get(1, 0, 0), 1e-6, "clamped at black");
    }

    @Test
    void zeroSaturationAndMonoGiveGrey() {
        FloatImage in = random(6, 4, 2);
        for (FloatImage out : new FloatImage[] { with(0, 1, 0, 0, 0, Look.NONE).apply(in),
                with(0, 1, 1, 0, 0, Look.MONO).apply(in) }) {
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    assertEquals(out.get(0, x, y), out.get(1, x, y), 0);
                    assertEquals(out.get(1, x, y), out.get(2, x, y), 0);
                }
            }
        }
        FloatImage red = with(0, 1, 1, 0, 0, Look.MONO).apply(pixel(1, 0, 0));
        assertEquals(ColorSpaces.KR, red.get(0, 0, 0), 1e-6, "mono is Rec. 709 luma");
    }

    @Test
    void temperatureWarmsOrCoolsAndKeepsGreyLuminance() {
        FloatImage grey = pixel(0.5f, 0.5f, 0.5f);
        FloatImage warm = with(0, 1, 1, 0.8, 0, Look.NONE).apply(grey);
        FloatImage cool = with(0, 1, 1, -0.8, 0, Look.NONE).apply(grey);
        assertTrue(warm.get(0, 0, 0) > warm.get(2, 0, 0) + 0.05, "warmer: red over blue");
        assertTrue(cool.get(2, 0, 0) > cool.get(0, 0, 0) + 0.05, "cooler: blue over red");
        FloatImage magenta = with(0, 1, 1, 0, 0.8, Look.NONE).apply(grey);
        assertTrue(magenta.get(1, 0, 0) < magenta.get(0, 0, 0), "positive tint takes green away");
        double lumIn = ColorSpaces.srgbToLinear(0.5f);
        double lumWarm = ColorSpaces.luma(ColorSpaces.srgbToLinear(warm.get(0, 0, 0)),
                ColorSpaces.srgbToLinear(warm.get(1, 0, 0)), ColorSpaces.srgbToLinear(warm.get(2, 0, 0)));
        assertEquals(lumIn, lumWarm, 1e-4, "white balance moves colour, not brightness");
    }

    @Test
    void looksMoveColourTheirWay() {
        FloatImage grey = pixel(0.5f, 0.5f, 0.5f);
        FloatImage film = with(0, 1, 1, 0, 0, Look.WARM_FILM).apply(grey);
        assertTrue(film.get(0, 0, 0) > film.get(2, 0, 0) + 0.03, "warm film is warm");
        assertTrue(with(0, 1, 1, 0, 0, Look.WARM_FILM).apply(pixel(0, 0, 0)).get(1, 0, 0) > 0.02,
                "warm film lifts the blacks");

        ColorGrade tealOrange = with(0, 1, 1, 0, 0, Look.TEAL_ORANGE);
        FloatImage dark = tealOrange.apply(pixel(0.2f, 0.2f, 0.2f));
        FloatImage bright = tealOrange.apply(pixel(0.8f, 0.8f, 0.8f));
        assertTrue(dark.get(2, 0, 0) > dark.get(0, 0, 0) + 0.02, "shadows go teal (blue over red)");
        assertTrue(bright.get(0, 0, 0) > bright.get(2, 0, 0) + 0.02, "highlights go orange (red over blue)");

        ColorGrade half = new ColorGrade(0, 1, 1, 0, 0, Look.MONO, 0.5);
        FloatImage h = half.apply(pixel(1, 0, 0));
        assertEquals((1 + ColorSpaces.KR) / 2, h.get(0, 0, 0), 1e-6, "look amount blends linearly");
    }

    @Test
    void outOfRangeSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ColorGrade(0, -1, 1, 0, 0, Look.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> new ColorGrade(0, 1, 1, 2, 0, Look.NONE, 1));
        assertThrows(IllegalArgumentException.class, () -> Look.byId("sepia"));
        assertThrows(IllegalArgumentException.class,
                () -> ColorGrade.NEUTRAL.apply(new FloatImage(2, 2, 1)), "grading needs RGB");
    }
}
