package org.portraitgen.tracking.smplx.internal.npy;

import java.io.IOException;

/** A {@code .npy} or {@code .npz} file (or one array in it) that cannot be read; the message names both. */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
