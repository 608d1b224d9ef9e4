package org.portraitgen.editors.builtin.internal;

import java.util.List;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Pencil sketch: clean graphite outlines from a colour-dodge of the luminance by its blurred negative (the classic
 * darkroom sketch), textured with OpenCV's pencilSketch strokes. OpenCV's output alone is heavy and noisy on busy
 * backgrounds; the dodge alone has no pencil grain.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + PencilSketchEditor.ID)
public final class PencilSketchEditor extends BuiltinEditor {

    static final String ID = "builtin.pencil";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Pencil sketch", "Graphite or coloured pencil on paper (dodge outlines with "
                + "OpenCV pencilSketch grain).",
                List.of(ParameterSpec.choice("tone", "graphite or coloured pencil", "grey", List.of("grey", "colour")),
                        ParameterSpec.number("width", "stroke width as a fraction of the shorter side", 0.012,
                                0.001, 0.1),
                        ParameterSpec.number("darkness", "how dark the lines are drawn", 0.6, 0, 1),
                        ParameterSpec.number("grain", "amount of OpenCV's pencil texture", 0.35, 0, 1),
                        ParameterSpec.number("shading", "tone laid into dark areas (hair, shadows)", 0.45, 0, 1)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int plane = image.planeSize();
        float[] luma = Planes.luma(image);
        float[] dodge = dodge(luma, image.width(), image.height(),
                Math.max(0.5, params.number("width") * Math.min(image.width(), image.height())));
        FloatImage grain;
        try (Mat src = Mats.toBgr(image); Mat grey = new Mat(); Mat colour = new Mat()) {
            opencv_photo.pencilSketch(src, grey, colour, 60, 0.07f, 0.02f);
            grain = Mats.toRgb(grey);
        }
        float exponent = 1 + 3 * (float) params.number("darkness");
        float amount = (float) params.number("grain");
        float shading = (float) params.number("shading");
        boolean colourTone = params.choice("tone").equals("colour");
        FloatImage out = new FloatImage(image.width(), image.height(), 3);
        for (int i = 0; i < plane; i++) {
            // outlines alone leave dark hair white; an artist shades it, with the pencil's grain
            float tone = 1 - shading * (1 - luma[i]) * (1 - amount + amount * grain.data()[i]);
            float g = (float) Math.pow(dodge[i], exponent) * (1 - amount + amount * grain.data()[i]) * tone;
            for (int c = 0; c < 3; c++) {
                // coloured pencil: the paper stays white, the strokes take the image's colour
                float tint = colourTone ? image.data()[c * plane + i] : 0;
                out.data()[c * plane + i] = colourTone ? 1 - (1 - g) * (1 - tint * 0.85f) : g;
            }
        }
        return out;
    }

    /** grey / (1 - blur(1 - grey)): 1 on flat areas, dark only where the luminance changes. */
    private static float[] dodge(float[] luma, int w, int h, double sigma) {
        float[] inv = new float[luma.length];
        for (int i = 0; i < inv.length; i++) {
            inv[i] = 1 - luma[i];
        }
        Planes.blurPlane(inv, 0, w, h, sigma);
        float[] out = new float[luma.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Math.min(1, luma[i] / Math.max(1e-3f, 1 - inv[i]));
        }
        return out;
    }
}
