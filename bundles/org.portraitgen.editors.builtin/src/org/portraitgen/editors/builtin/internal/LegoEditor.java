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
 * A LEGO mosaic seen from above: one stud per cell, colours snapped to real brick colours, runs of equal colour in a
 * row joined into 1xN bricks, each brick bevelled and each stud lit from the upper left with a soft shadow.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + LegoEditor.ID)
public final class LegoEditor extends BuiltinEditor {

    static final String ID = "builtin.lego";

    private static final int LONGEST_BRICK = 4;

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Lego", "A brick mosaic with studs and shading in LEGO colours.",
                List.of(ParameterSpec.number("stud", "stud spacing as a fraction of the shorter side", 1 / 40.0,
                        0.005, 0.5)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int w = image.width();
        int h = image.height();
        int cell = Math.max(1, (int) Math.round(params.number("stud") * Math.min(w, h)));
        CellGrid grid = new CellGrid(image, cell);
        float[][] palette = LegoPalette.colours();
        int[] colour = nearestInLab(grid.colours, palette);
        int[] brickStart = brickStarts(grid, colour);
        int[] brickEnd = brickEnds(grid, colour, brickStart);
        FloatImage out = new FloatImage(w, h, 3);
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int k = grid.index(x, y);
                float shade = BrickShading.shade(x, y, cell, brickStart[k], brickEnd[k], k / grid.cols);
                float[] base = palette[colour[k]];
                for (int c = 0; c < 3; c++) {
                    out.data()[c * plane + y * w + x] = Math.min(1, base[c] * shade + BrickShading.gloss(shade));
                }
            }
        }
        return out;
    }

    /** For each cell, the column where its brick starts: equal colours in a row join, up to 1x4 bricks. */
    private static int[] brickStarts(CellGrid grid, int[] colour) {
        int[] start = new int[colour.length];
        for (int gy = 0; gy < grid.rows; gy++) {
            // odd rows start their bricks one stud later, so joints are staggered as in a real wall
            int run = gy % 2 == 1 ? 1 : 0;
            for (int gx = 0; gx < grid.cols; gx++) {
                int k = gy * grid.cols + gx;
                boolean join = gx > 0 && colour[k] == colour[k - 1] && gx - start[k - 1] < LONGEST_BRICK
                        && !(gx == run && gy % 2 == 1);
                start[k] = join ? start[k - 1] : gx;
            }
        }
        return start;
    }

    private static int[] brickEnds(CellGrid grid, int[] colour, int[] start) {
        int[] end = new int[colour.length];
        for (int gy = 0; gy < grid.rows; gy++) {
            for (int gx = grid.cols - 1; gx >= 0; gx--) {
                int k = gy * grid.cols + gx;
                boolean sameBrick = gx + 1 < grid.cols && start[k + 1] == start[k];
                end[k] = sameBrick ? end[k + 1] : gx;
            }
        }
        return end;
    }

    /**
     * Snaps colours to the palette by distance in CIE Lab: in RGB, dark hair lands on dark green and grey-blue walls on
     * sand green, because RGB distance ignores how little the eye separates dark colours.
     */
    private static int[] nearestInLab(float[][] colours, float[][] palette) {
        float[] cells = labRow(colours);
        float[] bricks = labRow(palette);
        int n = colours.length;
        int m = palette.length;
        int[] out = new int[n];
        for (int k = 0; k < n; k++) {
            float best = Float.MAX_VALUE;
            for (int p = 0; p < m; p++) {
                float d = 0;
                for (int c = 0; c < 3; c++) {
                    float t = cells[c * n + k] - bricks[c * m + p];
                    d += t * t;
                }
                if (d < best) {
                    best = d;
                    out[k] = p;
                }
            }
        }
        return out;
    }

    /** Lab planes of a list of colours laid out as an n x 1 image. */
    private static float[] labRow(float[][] rgb) {
        FloatImage row = new FloatImage(rgb.length, 1, 3);
        for (int k = 0; k < rgb.length; k++) {
            for (int c = 0; c < 3; c++) {
                row.set(c, k, 0, rgb[k][c]);
            }
        }
        return Mats.toLab(row).data();
    }
}
