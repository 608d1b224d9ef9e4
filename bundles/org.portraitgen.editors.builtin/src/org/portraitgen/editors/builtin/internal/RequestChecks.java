package org.portraitgen.editors.builtin.internal;

import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.image.FloatImage;

/** Rejects requests an editor cannot honour, with a message that names the parameter at fault. */
public final class RequestChecks {

    private RequestChecks() {
    }

    public static void check(EditRequest r, EditorDescriptor d) {
        String editor = "editor '" + d.id() + "': ";
        if (r == null || r.image() == null) {
            throw new IllegalArgumentException(editor + "image is missing");
        }
        FloatImage image = r.image();
        if (image.channels() != 3) {
            throw new IllegalArgumentException(editor + "image must have 3 channels (RGB), it has "
                    + image.channels());
        }
        if (r.mask() != null) {
            if (r.mask().channels() != 1) {
                throw new IllegalArgumentException(editor + "mask must have 1 channel, it has " + r.mask().channels());
            }
            if (!r.mask().sameSize(image)) {
                throw new IllegalArgumentException(editor + "mask is " + size(r.mask()) + " but image is "
                        + size(image));
            }
        } else if (d.needs().contains(EditorInput.MASK)) {
            throw new IllegalArgumentException(editor + "mask is required (the region to edit)");
        }
        if (r.reference() != null && r.reference().channels() != 3) {
            throw new IllegalArgumentException(editor + "reference must have 3 channels (RGB), it has "
                    + r.reference().channels());
        }
        if (r.reference() == null && d.needs().contains(EditorInput.REFERENCE_IMAGE)) {
            throw new IllegalArgumentException(editor + "reference image is required");
        }
        if (r.normals() != null) {
            if (r.normals().channels() != 3) {
                throw new IllegalArgumentException(editor + "normals must have 3 channels, they have "
                        + r.normals().channels());
            }
            if (!r.normals().sameSize(image)) {
                throw new IllegalArgumentException(editor + "normals are " + size(r.normals()) + " but image is "
                        + size(image));
            }
        }
        if (d.needs().contains(EditorInput.PROMPT) && (r.prompt() == null || r.prompt().isBlank())) {
            throw new IllegalArgumentException(editor + "prompt is required and must not be empty");
        }
        if (!(r.strength() >= 0 && r.strength() <= 1)) {
            throw new IllegalArgumentException(editor + "strength must be in [0, 1], got " + r.strength());
        }
    }

    private static String size(FloatImage f) {
        return f.width() + "x" + f.height();
    }
}
