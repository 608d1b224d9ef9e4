package org.portraitgen.editors.onnx.internal.diffusion;

/** A model that failed while running (out of memory, a shape the export does not take); names model and shapes. */
public final class ModelRunException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
