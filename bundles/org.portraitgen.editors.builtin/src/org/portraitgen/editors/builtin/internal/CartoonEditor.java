package org.portraitgen.editors.builtin.internal;

import static org.bytedeco.opencv.global.opencv_imgproc.ADAPTIVE_THRESH_MEAN_C;
import static org.bytedeco.opencv.global.opencv_imgproc.COLOR_BGR2GRAY;
import static org.bytedeco.opencv.global.opencv_imgproc.THRESH_BINARY;

import java.util.List;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_imgproc;
import org.bytedeco.opencv.opencv_core.Mat;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Cartoon: repeated bilateral filtering flattens shading into regions, colours are quantised into bands, and dark
 * ink lines come from an adaptive threshold of the median-blurred luminance.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + CartoonEditor.ID)
public final class CartoonEditor extends BuiltinEditor {

    static final String ID = "builtin.cartoon";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Cartoon", "Flat colour bands with ink outlines.",
                List.of(ParameterSpec.integer("levels", "colour levels per channel", 6, 2, 32),
                        ParameterSpec.integer("smoothing", "bilateral filter passes", 5, 1, 12),
                        ParameterSpec.number("line", "line width as a fraction of the shorter side", 0.004, 0.0005,
                                0.05)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int side = Math.min(image.width(), image.height());
        FloatImage flat;
        try (Mat src = Mats.toBgr(image)) {
            flat = Mats.toRgb(smooth(src, params.integer("smoothing"), Math.max(3, side / 100)));
        }
        float[] ink = inkLines(image, Math.max(1, (int) Math.round(params.number("line") * side)));
        int levels = params.integer("levels");
        float[] d = flat.data();
        int plane = flat.planeSize();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                // band centres rather than floors, so the quantised image keeps its overall brightness
                float q = (float) ((Math.floor(d[c * plane + i] * levels * 0.999f) + 0.5) / levels);
                d[c * plane + i] = q * ink[i];
            }
        }
        return flat;
    }

    private static Mat smooth(Mat src, int passes, int diameter) {
        Mat a = src.clone();
        Mat b = new Mat();
        for (int i = 0; i < passes; i++) {
            opencv_imgproc.bilateralFilter(a, b, diameter, 40, diameter);
            Mat t = a;
            a = b;
            b = t;
        }
        b.close();
        return a;
    }

    /** 1 on paper, 0 on an ink line. */
    private static float[] inkLines(FloatImage image, int width) {
        try (Mat bgr = Mats.toBgr(image); Mat grey = new Mat(); Mat blurred = new Mat(); Mat edges = new Mat()) {
            opencv_imgproc.cvtColor(bgr, grey, COLOR_BGR2GRAY);
            opencv_imgproc.medianBlur(grey, blurred, 2 * width + 3);
            int block = 2 * (3 * width) + 3;
            opencv_imgproc.adaptiveThreshold(blurred, edges, 255, ADAPTIVE_THRESH_MEAN_C, THRESH_BINARY, block, 4);
            FloatImage e = Mats.toRgb(edges);
            float[] out = new float[image.planeSize()];
            System.arraycopy(e.data(), 0, out, 0, out.length);
            return out;
        }
    }
}
