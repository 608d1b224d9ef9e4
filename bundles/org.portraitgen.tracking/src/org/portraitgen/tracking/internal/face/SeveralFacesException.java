package org.portraitgen.tracking.internal.face;

/** A frame shows several faces of comparable size and no rule to choose one was given. */
public class SeveralFacesException extends Exception {
    private static final long serialVersionUID = 1L;

    public SeveralFacesException(String message) {
        super(message);
    }
}
