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
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.editors.onnx.internal.diffusion.IcLightPipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/** Relighting from a text description of the light with IC-Light; strength is the denoise of a light direction. */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + IcLightEditor.ID)
public final class IcLightEditor extends OnnxEditor<IcLightPipeline> {

    public static final String ID = "onnx.iclight";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "IC-Light relight", "Relights the subject as the prompt describes (\"warm "
                + "sunset light, soft shadows\"); the mask separates subject from background, which the fbc model "
                + "takes from the reference image.",
                List.of(ParameterSpec.integer("steps", "Euler steps", 25, 1, 100),
                        ParameterSpec.number("guidance", "classifier-free guidance", 2.0, 1, 32),
                        ParameterSpec.choice("light", "where the light comes from (none: from the prompt only)",
                                "none", IcLightPipeline.LIGHTS),
                        RESOLUTION, MODEL_FOLDER),
                Set.of(EditorInput.PROMPT), Set.of(EditorInput.MASK, EditorInput.REFERENCE_IMAGE), 512, true);
    }

    @Override
    protected String folderName() {
        return "iclight";
    }

    @Override
    protected ModelRequirements requirements() {
        return IcLightPipeline.requirements();
    }

    @Override
    protected IcLightPipeline pipeline(ModelFolder folder) throws ModelFolderException {
        return new IcLightPipeline(folder);
    }

    @Override
    protected FloatImage render(IcLightPipeline pipeline, EditRequest r, FloatImage image, FloatImage mask,
            NodeParameters p) throws Exception {
        var settings = new IcLightPipeline.Settings(p.integer("steps"), p.number("guidance"), p.string("light"),
                r.strength(), r.seed());
        return pipeline.relight(image, mask, r.reference(), r.prompt(), settings);
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
