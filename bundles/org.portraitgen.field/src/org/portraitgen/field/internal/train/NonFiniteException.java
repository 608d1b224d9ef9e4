package org.portraitgen.field.internal.train;

/** A loss, gradient or parameter became NaN or infinite; training stops and the last good checkpoint stays. */
public final class NonFiniteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteException(String message) {
        super(message);
    }
}
