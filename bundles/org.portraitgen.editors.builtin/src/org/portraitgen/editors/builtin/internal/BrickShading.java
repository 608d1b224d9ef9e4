package org.portraitgen.editors.builtin.internal;

/**
 * Brightness of one pixel of a brick seen from above, light from the upper left: bevelled brick edges, a raised
 * stud with a lit rim and a shadow falling to the lower right.
 */
final class BrickShading {

    private BrickShading() {
    }

    /**
     * @param startCol first cell column of the pixel's brick, {@code endCol} its last
     * @return a factor around 1 for the brick's colour
     */
    static float shade(int x, int y, int cell, int startCol, int endCol, int row) {
        if (cell < 3) {
            return 1;
        }
        float edge = Math.max(1, cell / 12f);
        float left = x - startCol * cell;
        float right = (endCol + 1) * cell - 1 - x;
        float top = y - row * cell;
        float bottom = (row + 1) * cell - 1 - y;
        float shade = 1;
        if (top < edge) {
            shade = 1.18f;
        } else if (bottom < edge) {
            shade = 0.55f;
        } else if (left < edge) {
            shade = 1.1f;
        } else if (right < edge) {
            shade = 0.7f;
        }
        float cx = (x / cell) * cell + cell / 2f - 0.5f;
        float cy = row * cell + cell / 2f - 0.5f;
        float radius = cell * 0.32f;
        float dx = x - cx;
        float dy = y - cy;
        float d = (float) Math.sqrt(dx * dx + dy * dy);
        if (d <= radius) {
            // the stud's top: a rim lit on the upper-left side, darker on the lower right
            float rim = Math.max(0, d - (radius - edge * 1.2f)) / (edge * 1.2f);
            float facing = -(dx + dy) / (Math.max(d, 1e-3f) * 1.4142f);
            return 1.05f + rim * 0.35f * facing;
        }
        float sx = dx - radius * 0.35f;
        float sy = dy - radius * 0.35f;
        if (Math.sqrt(sx * sx + sy * sy) <= radius && shade == 1) {
            return 0.72f;
        }
        return shade;
    }

    /** A little white added on the brightest parts, as plastic gives a specular highlight. */
    static float gloss(float shade) {
        return shade > 1.15f ? (shade - 1.15f) * 0.8f : 0;
    }
}
