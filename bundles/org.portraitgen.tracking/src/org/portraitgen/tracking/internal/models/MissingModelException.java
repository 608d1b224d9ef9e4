package org.portraitgen.tracking.internal.models;

import java.io.IOException;

/** A model file is not installed; the message names the npm package and the set-up script. */
public class MissingModelException extends IOException {
    private static final long serialVersionUID = 1L;

    public MissingModelException(String message) {
        super(message);
    }
}
