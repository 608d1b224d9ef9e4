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
import org.portraitgen.editors.onnx.internal.diffusion.InstructPix2PixPipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;
import org.portraitgen.editors.onnx.internal.model.ModelFolderException;
import org.portraitgen.editors.onnx.internal.model.ModelRequirements;

/** Text-instructed editing with InstructPix2Pix; strength is the noise level t (0.5–0.8 in PortraitGen). */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + InstructPix2PixEditor.ID)
public final class InstructPix2PixEditor extends OnnxEditor<InstructPix2PixPipeline> {

    public static final String ID = "onnx.instructpix2pix";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "InstructPix2Pix", "Edits by a text instruction (\"make him a bronze "
                + "statue\"); strength is the noise level, 0.5 to 0.8 as PortraitGen uses it.",
                List.of(ParameterSpec.integer("steps", "DDIM steps", 10, 1, 100),
                        ParameterSpec.number("textScale", "text guidance", 7.5, 0, 30),
                        ParameterSpec.number("imageScale", "image guidance (higher keeps more of the input)", 1.5, 0,
                                10),
                        RESOLUTION, MODEL_FOLDER),
                Set.of(EditorInput.PROMPT), Set.of(EditorInput.MASK), 512, true);
    }

    @Override
    protected String folderName() {
        return "instruct-pix2pix";
    }

    @Override
    protected ModelRequirements requirements() {
        return InstructPix2PixPipeline.requirements();
    }

    @Override
    protected InstructPix2PixPipeline pipeline(ModelFolder folder) throws ModelFolderException {
        return new InstructPix2PixPipeline(folder);
    }

    @Override
    protected FloatImage render(InstructPix2PixPipeline pipeline, EditRequest r, FloatImage image, FloatImage mask,
            NodeParameters p) throws Exception {
        if (r.strength() <= 0) {
            throw new IllegalArgumentException("editor '" + ID + "': strength (the noise level) must be above 0");
        }
        return pipeline.edit(image, r.prompt(), new InstructPix2PixPipeline.Settings(p.integer("steps"),
                p.number("textScale"), p.number("imageScale"), r.strength(), r.seed()));
    }

    @Deactivate
    void deactivate() {
        close();
    }
}
