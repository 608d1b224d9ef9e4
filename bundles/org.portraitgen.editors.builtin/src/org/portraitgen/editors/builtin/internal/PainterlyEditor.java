package org.portraitgen.editors.builtin.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Painterly rendering with curved brush strokes (Hertzmann, "Painterly Rendering with Curved Brush Strokes of
 * Multiple Sizes", SIGGRAPH 1998): layers from a large brush to small ones; each layer paints only where the canvas
 * still differs from a blurred reference, with strokes that follow the isophotes (perpendicular to the gradient).
 * The seed jitters stroke order, start points and colours, as a painter's hand would.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + PainterlyEditor.ID)
public final class PainterlyEditor extends BuiltinEditor {

    static final String ID = "builtin.painterly";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Painterly strokes",
                "Curved brush strokes of several sizes, coarse to fine, following the image's gradients.",
                List.of(ParameterSpec.number("brush", "largest brush radius as a fraction of the shorter side",
                        0.018, 0.002, 0.1),
                        ParameterSpec.integer("layers", "brush sizes, each half the previous", 3, 1, 5),
                        ParameterSpec.number("threshold", "colour error that calls for a new stroke", 0.06, 0.0, 1),
                        ParameterSpec.integer("maxLength", "longest stroke, in brush radii", 12, 1, 40),
                        ParameterSpec.number("jitter", "random colour variation per stroke", 0.06, 0, 0.5)),
                Set.of(), Set.of(EditorInput.MASK), 0, true);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int w = image.width();
        int h = image.height();
        SplittableRandom rnd = new SplittableRandom(request.seed());
        Canvas canvas = new Canvas(w, h);
        double radius = Math.max(1, params.number("brush") * Math.min(w, h));
        BrushStroker stroker = new BrushStroker(params.integer("maxLength"), (float) params.number("jitter"));
        for (int layer = 0; layer < params.integer("layers"); layer++) {
            double r = Math.max(1, radius / (1 << layer));
            // Hertzmann's f_sigma = 1: the reference for a brush holds no detail finer than the brush
            FloatImage reference = Planes.blur(image, r * 0.5);
            paintLayer(canvas, reference, (float) r, (float) params.number("threshold"), layer == 0, stroker, rnd);
        }
        FloatImage out = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < w * h; i++) {
                out.data()[c * w * h + i] = canvas.painted(i) ? canvas.rgb[c][i] : image.data()[c * w * h + i];
            }
        }
        return out;
    }

    private static void paintLayer(Canvas canvas, FloatImage reference, float r, float threshold, boolean first,
            BrushStroker stroker, SplittableRandom rnd) {
        int w = canvas.width;
        int h = canvas.height;
        float[] error = colourError(canvas, reference);
        float[] luma = Planes.luma(reference);
        int grid = Math.max(1, Math.round(r));
        List<int[]> starts = new ArrayList<>();
        for (int gy = 0; gy < h; gy += grid) {
            for (int gx = 0; gx < w; gx += grid) {
                double sum = 0;
                float best = -1;
                int bx = gx;
                int by = gy;
                int cells = 0;
                for (int y = gy; y < Math.min(h, gy + grid); y++) {
                    for (int x = gx; x < Math.min(w, gx + grid); x++) {
                        // ties broken by a random key, so the seed moves strokes within flat areas
                        float e = error[y * w + x] + (float) rnd.nextDouble() * 1e-4f;
                        sum += e;
                        cells++;
                        if (e > best) {
                            best = e;
                            bx = x;
                            by = y;
                        }
                    }
                }
                if (first || sum / cells > threshold) {
                    starts.add(new int[] {bx, by});
                }
            }
        }
        // painting in random order avoids the visible raster pattern of row-by-row strokes
        for (int i = starts.size() - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int[] t = starts.get(i);
            starts.set(i, starts.get(j));
            starts.set(j, t);
        }
        for (int[] s : starts) {
            stroker.paint(canvas, reference, luma, s[0], s[1], r, rnd);
        }
    }

    /** Euclidean RGB distance between canvas and reference; unpainted pixels count as maximal error. */
    private static float[] colourError(Canvas canvas, FloatImage reference) {
        int plane = canvas.width * canvas.height;
        float[] e = new float[plane];
        float[] ref = reference.data();
        for (int i = 0; i < plane; i++) {
            if (!canvas.painted(i)) {
                e[i] = 2;
                continue;
            }
            float sum = 0;
            for (int c = 0; c < 3; c++) {
                float d = canvas.rgb[c][i] - ref[c * plane + i];
                sum += d * d;
            }
            e[i] = (float) Math.sqrt(sum);
        }
        return e;
    }
}
