package org.portraitgen.editors.builtin.internal;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Pixel art: big square pixels, a small median-cut palette with light ordered dithering, and a faint grid between
 * the pixels as on a sprite editor's canvas.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + PixelArtEditor.ID)
public final class PixelArtEditor extends BuiltinEditor {

    static final String ID = "builtin.pixelart";

    /** 4x4 Bayer matrix, values (0..15 + 0.5) / 16 - 0.5: a fixed pattern, so dithering stays deterministic. */
    private static final float[] BAYER = {0, 8, 2, 10, 12, 4, 14, 6, 3, 11, 1, 9, 15, 7, 13, 5};

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Pixel art", "Square pixels in a small palette (median cut) with a pixel grid.",
                List.of(ParameterSpec.number("pixel", "pixel size as a fraction of the shorter side", 1 / 64.0,
                        0.001, 0.25),
                        ParameterSpec.integer("colours", "palette size", 16, 2, 256),
                        ParameterSpec.number("dither", "ordered dithering amount", 0.35, 0, 1),
                        ParameterSpec.number("grid", "darkening of the lines between pixels", 0.06, 0, 1),
                        ParameterSpec.number("punch", "saturation and contrast boost before quantising", 0.3, 0, 1)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int w = image.width();
        int h = image.height();
        int cell = Math.max(1, (int) Math.round(params.number("pixel") * Math.min(w, h)));
        CellGrid grid = new CellGrid(image, cell);
        // sprite palettes are saturated and contrasty; a mean over a block is neither
        float punch = (float) params.number("punch");
        for (float[] c : grid.colours) {
            boost(c, 1 + punch, 1 + punch * 0.4f);
        }
        float[][] palette = MedianCutPalette.of(grid.colours, params.integer("colours"));
        float dither = (float) params.number("dither") / (float) Math.sqrt(palette.length);
        int[] chosen = new int[grid.colours.length];
        for (int k = 0; k < chosen.length; k++) {
            int gx = k % grid.cols;
            int gy = k / grid.cols;
            float t = ((BAYER[(gy & 3) * 4 + (gx & 3)] + 0.5f) / 16f - 0.5f) * dither;
            float[] c = grid.colours[k];
            chosen[k] = MedianCutPalette.nearest(palette, c[0] + t, c[1] + t, c[2] + t);
        }
        float gridShade = 1 - (float) params.number("grid");
        FloatImage out = new FloatImage(w, h, 3);
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                float[] colour = palette[chosen[grid.index(x, y)]];
                // a grid line needs cells big enough that the line does not eat the pixel
                boolean line = cell >= 4 && (x % cell == 0 || y % cell == 0);
                float shade = line ? gridShade : 1;
                for (int c = 0; c < 3; c++) {
                    out.data()[c * plane + y * w + x] = colour[c] * shade;
                }
            }
        }
        return out;
    }

    private static void boost(float[] rgb, float saturation, float contrast) {
        float y = 0.2126f * rgb[0] + 0.7152f * rgb[1] + 0.0722f * rgb[2];
        for (int c = 0; c < 3; c++) {
            float v = y + saturation * (rgb[c] - y);
            rgb[c] = MaskBlend.clamp01(0.5f + contrast * (v - 0.5f));
        }
    }
}
