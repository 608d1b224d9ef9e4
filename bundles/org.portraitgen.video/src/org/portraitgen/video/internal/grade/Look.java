package org.portraitgen.video.internal.grade;

import static org.portraitgen.core.ColorSpaces.clamp01;
import static org.portraitgen.core.ColorSpaces.luma;

import java.util.Arrays;
import java.util.List;

import org.portraitgen.core.ColorSpaces;

/**
 * A named look applied after the basic corrections, on display-referred (sRGB-encoded) RGB in [0, 1]. Each look maps
 * one pixel in place: {@code rgb[0..2]}.
 */
public enum Look {
    NONE("none") {
        @Override
        void apply(float[] rgb, float[] scratch) {
            // identity
        }
    },
    /** Lifted blacks, rolled-off highlights, a warm cast and slightly muted colour, as print film stock gives. */
    WARM_FILM("warm-film") {
        @Override
        void apply(float[] rgb, float[] scratch) {
            for (int c = 0; c < 3; c++) {
                rgb[c] = filmCurve(clamp01(rgb[c]));
            }
            rgb[0] *= 1.06f;
            rgb[1] *= 1.01f;
            rgb[2] *= 0.90f;
            float y = luma(rgb[0], rgb[1], rgb[2]);
            for (int c = 0; c < 3; c++) {
                rgb[c] = y + 0.85f * (rgb[c] - y);
            }
        }
    },
    /** Shadows pushed to teal and highlights (skin) to orange: the complementary split of blockbuster grades. */
    TEAL_ORANGE("teal-orange") {
        @Override
        void apply(float[] rgb, float[] ycc) {
            ColorSpaces.rgbToYcbcr(rgb[0], rgb[1], rgb[2], ycc);
            float y = 0.5f + (ycc[0] - 0.5f) * 1.1f;
            float shadow = (1 - clamp01(y)) * (1 - clamp01(y));
            float highlight = clamp01(y) * clamp01(y);
            float cb = ycc[1] + 0.07f * shadow - 0.07f * highlight;
            float cr = ycc[2] - 0.06f * shadow + 0.06f * highlight;
            ColorSpaces.ycbcrToRgb(y, cb, cr, rgb);
        }
    },
    /** Black and white from Rec. 709 luma, so R = G = B exactly. */
    MONO("mono") {
        @Override
        void apply(float[] rgb, float[] scratch) {
            float y = luma(rgb[0], rgb[1], rgb[2]);
            rgb[0] = y;
            rgb[1] = y;
            rgb[2] = y;
        }
    };

    private final String id;

    Look(String id) {
        this.id = id;
    }

    /** The parameter value naming this look. */
    public String id() {
        return id;
    }

    /** @param scratch three floats the look may use freely, so per-pixel calls allocate nothing */
    abstract void apply(float[] rgb, float[] scratch);

    public static List<String> ids() {
        return Arrays.stream(values()).map(Look::id).toList();
    }

    public static Look byId(String id) {
        for (Look l : values()) {
            if (l.id.equals(id)) {
                return l;
            }
        }
        throw new IllegalArgumentException("look '" + id + "' is not one of " + ids());
    }

    /** A mild S-curve (linear blended with smoothstep) between a lifted black of 0.03 and a white of 0.97. */
    private static float filmCurve(float x) {
        float s = x * x * (3 - 2 * x);
        return 0.03f + 0.94f * (0.65f * x + 0.35f * s);
    }
}
