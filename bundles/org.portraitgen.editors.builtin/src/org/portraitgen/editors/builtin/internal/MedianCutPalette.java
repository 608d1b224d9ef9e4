package org.portraitgen.editors.builtin.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Heckbert's median cut: split the colour box with the widest channel range at its median until there are
 * {@code k} boxes; each box's mean is a palette entry. Deterministic, unlike k-means with random seeds, so the same
 * frame always gets the same palette.
 */
final class MedianCutPalette {

    private MedianCutPalette() {
    }

    /** @param colours [n][3] RGB; returns at most {@code k} colours (fewer when there are fewer distinct ones) */
    static float[][] of(float[][] colours, int k) {
        List<float[][]> boxes = new ArrayList<>();
        boxes.add(colours.clone());
        while (boxes.size() < k) {
            float[][] widest = null;
            int channel = 0;
            float bestRange = 0;
            for (float[][] box : boxes) {
                for (int c = 0; c < 3; c++) {
                    float range = range(box, c) * (float) Math.sqrt(box.length);
                    if (box.length > 1 && range > bestRange) {
                        bestRange = range;
                        widest = box;
                        channel = c;
                    }
                }
            }
            if (widest == null) {
                break;
            }
            int ch = channel;
            float[][] sorted = widest.clone();
            Arrays.sort(sorted, Comparator.comparingDouble(p -> p[ch]));
            int mid = sorted.length / 2;
            boxes.remove(widest);
            boxes.add(Arrays.copyOfRange(sorted, 0, mid));
            boxes.add(Arrays.copyOfRange(sorted, mid, sorted.length));
        }
        float[][] palette = new float[boxes.size()][3];
        for (int b = 0; b < boxes.size(); b++) {
            for (float[] p : boxes.get(b)) {
                for (int c = 0; c < 3; c++) {
                    palette[b][c] += p[c] / boxes.get(b).length;
                }
            }
        }
        return palette;
    }

    private static float range(float[][] box, int c) {
        float lo = Float.MAX_VALUE;
        float hi = -Float.MAX_VALUE;
        for (float[] p : box) {
            lo = Math.min(lo, p[c]);
            hi = Math.max(hi, p[c]);
        }
        return hi - lo;
    }

    /** Index of the nearest palette colour, with the "redmean" weights that track perceived difference better. */
    static int nearest(float[][] palette, float r, float g, float b) {
        int best = 0;
        float bestD = Float.MAX_VALUE;
        for (int i = 0; i < palette.length; i++) {
            float rm = (r + palette[i][0]) * 0.5f;
            float dr = r - palette[i][0];
            float dg = g - palette[i][1];
            float db = b - palette[i][2];
            float d = (2 + rm) * dr * dr + 4 * dg * dg + (3 - rm) * db * db;
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return best;
    }
}
