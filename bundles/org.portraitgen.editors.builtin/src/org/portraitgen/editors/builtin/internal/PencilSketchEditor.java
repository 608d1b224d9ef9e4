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

/** OpenCV's pencil sketch: graphite (grey) or coloured pencil on paper. */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + PencilSketchEditor.ID)
public final class PencilSketchEditor extends BuiltinEditor {

    static final String ID = "builtin.pencil";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Pencil sketch", "Pencil strokes on paper (OpenCV pencilSketch).",
                List.of(ParameterSpec.choice("tone", "graphite or coloured pencil", "grey", List.of("grey", "colour")),
                        ParameterSpec.number("sigmaS", "stroke smoothing, pixels", 60.0, 1, 200),
                        ParameterSpec.number("sigmaR", "how much colour difference stays an edge", 0.07, 0.01, 1),
                        ParameterSpec.number("shade", "paper shading", 0.05, 0, 0.1)),
                Set.of(), Set.of(EditorInput.MASK), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        try (Mat src = Mats.toBgr(request.image()); Mat grey = new Mat(); Mat colour = new Mat()) {
            opencv_photo.pencilSketch(src, grey, colour, (float) params.number("sigmaS"),
                    (float) params.number("sigmaR"), (float) params.number("shade"));
            return Mats.toRgb(params.choice("tone").equals("grey") ? grey : colour);
        }
    }
}
