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
import org.portraitgen.editors.onnx.internal.diffusion.AnyDoorPipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/** An object or garment from the reference image put into the mask with AnyDoor. */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + AnyDoorEditor.ID)
public final class AnyDoorEditor extends OnnxEditor<AnyDoorPipeline> {

    public static final String ID = "onnx.anydoor";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "AnyDoor insert", "Puts the reference object or garment into the masked "
                + "region, fitted to its surroundings.",
                List.of(ParameterSpec.integer("steps", "DDIM steps", 50, 1, 200),
                        ParameterSpec.number("guidance", "classifier-free guidance", 4.5, 1, 20),
                        ParameterSpec.integer("resolution", "square size the model works at (multiple of 8)", 512,
                                64, 1024),
                        MODEL_FOLDER),
                Set.of(EditorInput.MASK, EditorInput.REFERENCE_IMAGE), Set.of(), 512, true);
    }

    @Override
    protected String folderName() {
        return "anydoor";
    }

    @Override
    protected ModelRequirements requirements() {
        return AnyDoorPipeline.requirements();
    }

    @Override
    protected AnyDoorPipeline pipeline(ModelFolder folder) throws ModelFolderException {
        return new AnyDoorPipeline(folder);
    }

    @Override
    protected FloatImage render(AnyDoorPipeline pipeline, EditRequest r, FloatImage image, FloatImage mask,
            NodeParameters p) throws Exception {
        int res = p.integer("resolution") / 8 * 8;
        // the collage is cut from the working-size image; AnyDoor resizes that crop to its own square
        return pipeline.insert(image, mask, r.reference(), new AnyDoorPipeline.Settings(p.integer("steps"),
                p.number("guidance"), res, r.seed()));
    }

    @Deactivate
    void deactivate() {
        close();
    }

}
