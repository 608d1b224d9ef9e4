package org.portraitgen.editors.onnx.internal.editors;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.editors.onnx.internal.diffusion.NeuralStylePipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/** Neural style transfer (AdaIN) from the reference image; strength is AdaIN's content–style trade-off α. */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + NeuralStyleEditor.ID)
public final class NeuralStyleEditor extends OnnxEditor<NeuralStylePipeline> {

    public static final String ID = "onnx.neuralstyle";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Neural style (AdaIN)", "Paints the image in the reference image's style; "
                + "strength 1 is full style, 0 the content.", List.of(RESOLUTION, MODEL_FOLDER),
                Set.of(EditorInput.REFERENCE_IMAGE), Set.of(EditorInput.MASK), 512, false);
    }

    @Override
    protected String folderName() {
        return "adain";
    }

    @Override
    protected ModelRequirements requirements() {
        return NeuralStylePipeline.requirements();
    }

    @Override
    protected NeuralStylePipeline pipeline(ModelFolder folder) {
        return new NeuralStylePipeline(folder);
    }

    @Override
    protected FloatImage render(NeuralStylePipeline pipeline, EditRequest r, FloatImage image, FloatImage mask,
            NodeParameters p) throws Exception {
        return pipeline.stylize(image, r.reference(), r.strength());
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
