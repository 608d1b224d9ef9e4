package org.portraitgen.api.editor;

import org.osgi.annotation.versioning.ConsumerType;
import org.portraitgen.api.image.FloatImage;

/**
 * A structure-preserving 2D image editor: the same size out as in, pixels outside the mask kept. Hot-installable:
 * the editing loop and the editor node look editors up at run time.
 */
@ConsumerType
public interface EditorProvider {

    String ID_PROPERTY = "portraitgen.editor.id";

    EditorDescriptor descriptor();

    /** Deterministic for a given request, seed included. */
    FloatImage edit(EditRequest request) throws Exception;
}
