package org.portraitgen.edit.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

class HeadCropTest {

    /** A circle of face points of radius r around (cx, cy). */
    static double[] circle(double cx, double cy, double r, int n) {
        double[] p = new double[2 * n];
        for (int i = 0; i < n; i++) {
            p[2 * i] = cx + r * Math.cos(2 * Math.PI * i / n);
            p[2 * i + 1] = cy + r * Math.sin(2 * Math.PI * i / n);
        }
        return p;
    }

    static FloatImage gradient(int w, int h) {
        FloatImage img = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    img.set(c, x, y, (x + 2f * y + c) / (w + 2f * h + 3));
                }
            }
        }
        return img;
    }

    @Test
    void cropIsScaledFaceBoxAndPasteInvertsCut() {
        HeadCrop crop = HeadCrop.around(circle(40, 30, 10, 64), 1.7);
        assertEquals(40, crop.cx(), 1e-9);
        assertEquals(30, crop.cy(), 1e-9);
        assertEquals(34, crop.side(), 0.05);
        FloatImage frame = gradient(80, 64);
        FloatImage pasted = crop.paste(crop.cut(frame, 68), 80, 64); // 2x up, then back
        for (int y = 18; y < 42; y++) {
            for (int x = 28; x < 52; x++) {
                assertEquals(frame.get(1, x, y), pasted.get(1, x, y), 0.01, "pixel " + x + "," + y);
            }
        }
        assertEquals(0f, pasted.get(0, 2, 2)); // outside the crop
    }

    @Test
    void headMaskIsOneOnTheFaceFeatheredAtItsEdgeAndZeroOutsideTheCrop() {
        double[] face = circle(40, 40, 10, 64);
        HeadCrop crop = HeadCrop.around(face, 1.7);
        FloatImage m = crop.headMask(face, 80, 80, 3, 1.5);
        assertEquals(1f, m.get(0, 40, 40), 1e-3);
        assertTrue(m.get(0, 51, 40) > 0.8f); // inside the dilation, near the feathered edge
        float edge = m.get(0, 53, 40);
        assertTrue(edge > 0.05 && edge < 0.95, "feathered edge " + edge);
        assertEquals(0f, m.get(0, 60, 40), 1e-3); // outside the crop
        assertEquals(0f, m.get(0, 5, 5), 1e-6);
    }

    @Test
    void faceAwareEditReplacesTheHeadOnlyAndCanBeSwitchedOff() throws Exception {
        // a rig of 468 points on a circle stands in for the face mesh; the camera maps x,y straight to pixels
        int size = 64;
        float[] v = new float[3 * FaceLandmarks.FACE_POINTS];
        double[] pts = circle(32, 32, 8, FaceLandmarks.FACE_POINTS);
        for (int i = 0; i < FaceLandmarks.FACE_POINTS; i++) {
            v[3 * i] = (float) (pts[2 * i] - 32);
            v[3 * i + 1] = (float) (pts[2 * i + 1] - 32);
            v[3 * i + 2] = 1;
        }
        RigState state = new RigState(0, new Camera(size, size, 1, 1, 32, 32, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                new double[3]), v, new float[0], true);
        // the test editor paints what resolution it worked at: a small image (the whole frame) grey 0.25, the crop 0.75
        EditorProvider sizeAware = new EditorProvider() {
            @Override
            public EditorDescriptor descriptor() {
                return new EditorDescriptor("test.size", "size", "", java.util.List.of(), Set.of(), 0, false);
            }

            @Override
            public FloatImage edit(EditRequest r) {
                FloatImage out = new FloatImage(r.image().width(), r.image().height(), 3);
                java.util.Arrays.fill(out.data(), r.image().width() == size ? 0.25f : 0.75f);
                return out;
            }
        };
        FloatImage render = gradient(size, size);
        FloatImage on = new FaceAwareEditor(sizeAware, null, null, 1, 0, Map.of(), true, 1.7).edit(0, state, render,
                null, 1, 0);
        assertEquals(0.75f, on.get(0, 32, 32), 1e-3); // the head comes from the crop's edit
        assertEquals(0.25f, on.get(0, 2, 2), 1e-3); // the rest from the whole frame's
        FloatImage off = new FaceAwareEditor(sizeAware, null, null, 1, 0, Map.of(), false, 1.7).edit(0, state, render,
                null, 1, 0);
        assertEquals(0.25f, off.get(0, 32, 32), 1e-3);
    }
}
