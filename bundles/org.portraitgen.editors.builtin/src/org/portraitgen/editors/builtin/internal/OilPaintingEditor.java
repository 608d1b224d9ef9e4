package org.portraitgen.editors.builtin.internal;

import java.util.List;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_xphoto;
import org.bytedeco.opencv.opencv_core.Mat;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Oil painting from OpenCV xphoto: each pixel takes the mean colour of the most frequent intensity bin around it,
 * which flattens areas into dabs of paint while keeping edges.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + OilPaintingEditor.ID)
public final class OilPaintingEditor extends BuiltinEditor {

    static final String ID = "builtin.oil";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Oil painting", "Dabs of oil paint (OpenCV xphoto oilPainting).",
                List.of(ParameterSpec.number("brush", "brush size as a fraction of the image's shorter side", 0.007,
                        0.001, 0.1),
                        ParameterSpec.integer("levels", "intensity levels (dynamic ratio divides 256)", 12, 1, 64)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        // the brush scales with the image so a 4K frame and its 512² preview look alike
        int size = Math.max(1, (int) Math.round(params.number("brush") * Math.min(image.width(), image.height())));
        int dynRatio = Math.max(1, 256 / params.integer("levels"));
        try (Mat src = Mats.toBgr(image); Mat dst = new Mat()) {
            opencv_xphoto.oilPainting(src, dst, Math.max(2, size), dynRatio);
            return Mats.toRgb(dst);
        }
    }
}
