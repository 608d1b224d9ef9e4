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

/** OpenCV's edge-aware watercolour-like stylization (Gastal and Oliveira's domain transform). */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + StylizationEditor.ID)
public final class StylizationEditor extends BuiltinEditor {

    static final String ID = "builtin.stylization";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Stylization", "Flat, painted look from OpenCV's edge-preserving stylization.",
                List.of(ParameterSpec.number("sigmaS", "spatial smoothing, pixels", 40.0, 1, 200),
                        ParameterSpec.number("sigmaR", "how much colour difference stays an edge", 0.3, 0.01, 1),
                        ParameterSpec.number("ink", "darkness of the outlines (1: as OpenCV draws them)", 0.55, 0, 1)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        float sigmaS = (float) params.number("sigmaS");
        float sigmaR = (float) params.number("sigmaR");
        FloatImage stylized;
        FloatImage smooth;
        try (Mat src = Mats.toBgr(request.image()); Mat dst = new Mat(); Mat flat = new Mat()) {
            opencv_photo.stylization(src, dst, sigmaS, sigmaR);
            opencv_photo.edgePreservingFilter(src, flat, opencv_photo.RECURS_FILTER, sigmaS, sigmaR);
            stylized = Mats.toRgb(dst);
            smooth = Mats.toRgb(flat);
        }
        // OpenCV darkens every edge fully, which on a small face turns eyes into black holes: mix the outlines back
        // towards the same smoothing without them
        return MaskBlend.blend(smooth, stylized, null, params.number("ink"));
    }
}
