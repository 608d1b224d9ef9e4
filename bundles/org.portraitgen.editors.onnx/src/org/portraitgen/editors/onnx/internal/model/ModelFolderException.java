package org.portraitgen.editors.onnx.internal.model;

/** A model folder that cannot be used: the message names the file, the input or output, and what was expected. */
public final class ModelFolderException extends Exception {

    private static final long serialVersionUID = 1L;

    public ModelFolderException(String message) {
        super(message);
    }

    public ModelFolderException(String message, Throwable cause) {
        super(message, cause);
    }
}
