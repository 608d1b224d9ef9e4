package org.portraitgen.field.gl;

/** A failure of the GPU path (no context, compile error, out of memory, lost context): callers fall back to the CPU. */
public class GlException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GlException(String message) {
        super(message);
    }

    public GlException(String message, Throwable cause) {
        super(message, cause);
    }
}
