package org.portraitgen.editors.builtin.internal;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Style from a reference image without a network: colour statistics transferred in Lab, then the reference's fine
 * texture laid over the image patch by patch where the luminance layout matches.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + StyleTransferEditor.ID)
public final class StyleTransferEditor extends BuiltinEditor {

    static final String ID = "builtin.styletransfer";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Reference style",
                "Colours (Lab statistics) and texture (patch transfer) of a reference image.",
                List.of(ParameterSpec.number("colour", "how far colours move to the reference's", 1.0, 0, 1),
                        ParameterSpec.number("texture", "how much of the reference's fine texture replaces the image's",
                                0.6, 0, 1),
                        ParameterSpec.number("patch", "patch size as a fraction of the shorter side", 1 / 24.0, 0.005,
                                0.5)),
                Set.of(EditorInput.REFERENCE_IMAGE), Set.of(EditorInput.MASK), 0, true);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        FloatImage coloured = MaskBlend.blend(image,
                ColourTransfer.transfer(image, request.mask(), request.reference()), null, params.number("colour"));
        int side = Math.min(image.width(), image.height());
        // texture is borrowed at the image's scale: a 4K reference's grain would vanish on a 512² frame otherwise
        FloatImage reference = request.reference();
        double scale = (double) side / Math.min(reference.width(), reference.height());
        FloatImage scaled = Planes.resize(reference, Math.max(1, (int) Math.round(reference.width() * scale)),
                Math.max(1, (int) Math.round(reference.height() * scale)));
        int patch = Math.max(2, (int) Math.round(params.number("patch") * side));
        return PatchTexture.transfer(coloured, scaled, patch, (float) params.number("texture"), request.seed());
    }
}
