package org.portraitgen.edit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;

class ExpressionWarpTest {

    @Test
    void expressionErrorIgnoresPoseAndSizeButNotShape() {
        double[] face = HeadCropTest.circle(50, 50, 10, 40);
        double[] moved = new double[face.length];
        double c = Math.cos(0.3), s = Math.sin(0.3);
        for (int i = 0; i < face.length / 2; i++) {
            double x = face[2 * i] - 50, y = face[2 * i + 1] - 50;
            moved[2 * i] = 1.5 * (c * x - s * y) + 70;
            moved[2 * i + 1] = 1.5 * (s * x + c * y) + 40;
        }
        assertEquals(0, FaceLandmarks.expressionError(moved, face), 1e-9);
        assertTrue(FaceLandmarks.meanDistance(moved, face) > 10);
        double[] stretched = face.clone();
        for (int i = 0; i < face.length / 2; i++) {
            stretched[2 * i + 1] = 50 + 1.3 * (face[2 * i + 1] - 50); // a mouth opening: not a similarity
        }
        assertTrue(FaceLandmarks.expressionError(stretched, face) > 0.5);
    }

    @Test
    void warpMovesAFeatureBackToTheSourceLandmarksAndLeavesTheBackground() {
        int size = 64;
        FloatImage edited = new FloatImage(size, size, 1);
        // a bright dot at (35, 30): the edit moved the feature 3 px right of where the source has it (32, 30)
        for (int y = 27; y <= 33; y++) {
            for (int x = 32; x <= 38; x++) {
                edited.set(0, x, y, 1);
            }
        }
        edited.set(0, 2, 60, 0.5f);
        double[] source = HeadCropTest.circle(32, 30, 6, 24);
        double[] found = source.clone();
        for (int i = 0; i < found.length / 2; i++) {
            found[2 * i] += 3;
        }
        FloatImage out = ExpressionWarp.pullTowards(edited, found, source, 1.0, 5);
        assertEquals(1f, out.get(0, 30, 30), 0.1); // the dot's left part is back at the source's place
        assertEquals(0f, out.get(0, 37, 30), 0.15); // and gone from the right
        assertEquals(0.5f, out.get(0, 2, 60), 0.01); // far from the face nothing moves
        FloatImage half = ExpressionWarp.pullTowards(edited, found, source, 0.0, 5);
        assertEquals(edited, half); // weight 0: unchanged
    }
}
