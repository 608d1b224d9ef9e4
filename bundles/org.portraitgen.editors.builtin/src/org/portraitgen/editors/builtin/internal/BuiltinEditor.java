package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;

/**
 * The contract every builtin editor shares: validate the request against the descriptor, render the effect over the
 * whole image, then keep the input outside the mask. Rendering everywhere and blending afterwards keeps each effect
 * free of mask logic, and a feathered mask gives a soft transition for free.
 */
abstract class BuiltinEditor implements EditorProvider {

    private final EditorDescriptor descriptor = describe();

    /** Builds the descriptor once, at construction. */
    protected abstract EditorDescriptor describe();

    /** The effect on the whole image (RGB, same size as the input). */
    protected abstract FloatImage render(EditRequest request, EditorParams params) throws Exception;

    @Override
    public final EditorDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final FloatImage edit(EditRequest request) throws Exception {
        RequestChecks.check(request, descriptor);
        EditorParams params = new EditorParams(descriptor, request.parameters());
        FloatImage effect = render(request, params);
        return MaskBlend.blend(request.image(), effect, request.mask(), request.strength());
    }
}
