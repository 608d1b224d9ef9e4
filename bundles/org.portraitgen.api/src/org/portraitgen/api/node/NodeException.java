package org.portraitgen.api.node;

/** A node failure a person can act on; its message names the file, port or parameter at fault. */
public class NodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public NodeException(String message) {
        super(message);
    }

    public NodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
