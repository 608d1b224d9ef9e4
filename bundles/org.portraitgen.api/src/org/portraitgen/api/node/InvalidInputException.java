package org.portraitgen.api.node;

/**
 * The node's input is unusable (a corrupt or truncated video, a file of the wrong kind, dimensions beyond the
 * limits): the user must change the input, retrying will not help. The CLI exits with code 2 for these.
 */
public class InvalidInputException extends NodeException {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
