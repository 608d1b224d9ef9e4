package org.portraitgen.editors.builtin.internal;

import static org.bytedeco.opencv.global.opencv_imgproc.ADAPTIVE_THRESH_MEAN_C;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_AREA;
import static org.bytedeco.opencv.global.opencv_imgproc.INTER_LINEAR;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;

import java.util.List;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Size;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Cartoon: repeated small bilateral filters (at half resolution, where they are four times cheaper and reach twice
 * as far) flatten shading into regions, a median-cut palette turns them into a few flat colours, and ink lines come
 * from an adaptive threshold of the flattened luminance, so texture in the source does not turn into scribbles.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + CartoonEditor.ID)
public final class CartoonEditor extends BuiltinEditor {

    static final String ID = "builtin.cartoon";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Cartoon", "Flat colour regions from a small palette with ink outlines.",
                List.of(ParameterSpec.integer("colours", "palette size", 12, 2, 64),
                        ParameterSpec.integer("smoothing", "bilateral filter passes", 6, 1, 12),
                        ParameterSpec.number("lines", "ink sensitivity: higher draws more lines", 0.5, 0, 1)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        FloatImage flat;
        float[] ink;
        try (Mat src = Mats.toBgr(image); Mat smooth = smooth(src, params.integer("smoothing"))) {
            flat = Mats.toRgb(smooth);
            ink = inkLines(smooth, Math.min(image.width(), image.height()), params.number("lines"));
        }
        return quantise(flat, params.integer("colours"), ink);
    }

    private static Mat smooth(Mat src, int passes) {
        boolean half = src.cols() >= 64 && src.rows() >= 64;
        Mat a = new Mat();
        if (half) {
            opencv_imgproc.resize(src, a, new Size(src.cols() / 2, src.rows() / 2), 0, 0, INTER_AREA);
        } else {
            src.copyTo(a);
        }
        Mat b = new Mat();
        for (int i = 0; i < passes; i++) {
            opencv_imgproc.bilateralFilter(a, b, 9, 18, 7);
            Mat t = a;
            a = b;
            b = t;
        }
        b.close();
        if (!half) {
            return a;
        }
        Mat full = new Mat();
        opencv_imgproc.resize(a, full, new Size(src.cols(), src.rows()), 0, 0, INTER_LINEAR);
        a.close();
        return full;
    }

    /** 1 on paper, 0 on an ink line. */
    private static float[] inkLines(Mat smooth, int side, double sensitivity) {
        try (Mat grey = new Mat(); Mat blurred = new Mat(); Mat edges = new Mat()) {
            opencv_imgproc.cvtColor(smooth, grey, COLOR_BGR2GRAY);
            opencv_imgproc.medianBlur(grey, blurred, side >= 200 ? 5 : 3);
            int block = 2 * Math.max(1, side / 100) + 3;
            // C: how much darker than its neighbourhood a pixel must be to become ink
            double c = 2 + 10 * (1 - sensitivity);
            opencv_imgproc.adaptiveThreshold(blurred, edges, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, block, c);
            FloatImage e = Mats.toRgb(edges);
            float[] out = new float[side == 0 ? 0 : e.planeSize()];
            System.arraycopy(e.data(), 0, out, 0, out.length);
            return out;
        }
    }

    private static FloatImage quantise(FloatImage flat, int colours, float[] ink) {
        int plane = flat.planeSize();
        int stride = Math.max(1, plane / 20_000);
        float[][] samples = new float[(plane + stride - 1) / stride][3];
        float[] d = flat.data();
        for (int i = 0, s = 0; i < plane; i += stride, s++) {
            samples[s] = new float[] {d[i], d[plane + i], d[2 * plane + i]};
        }
        float[][] palette = MedianCutPalette.of(samples, colours);
        for (float[] p : palette) {
            saturate(p, 1.35f); // cartoons are painted in purer colours than the photograph holds
        }
        FloatImage out = new FloatImage(flat.width(), flat.height(), 3);
        for (int i = 0; i < plane; i++) {
            float[] p = palette[MedianCutPalette.nearest(palette, d[i], d[plane + i], d[2 * plane + i])];
            for (int c = 0; c < 3; c++) {
                // ink is drawn in a dark shade of the region's colour, softer than pure black
                out.data()[c * plane + i] = p[c] * (0.15f + 0.85f * ink[i]);
            }
        }
        return out;
    }

    private static void saturate(float[] rgb, float amount) {
        float y = 0.2126f * rgb[0] + 0.7152f * rgb[1] + 0.0722f * rgb[2];
        for (int c = 0; c < 3; c++) {
            rgb[c] = MaskBlend.clamp01(y + amount * (rgb[c] - y));
        }
    }
}
