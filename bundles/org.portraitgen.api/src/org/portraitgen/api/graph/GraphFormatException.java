package org.portraitgen.api.graph;

import java.nio.file.Path;

/** A graph document that cannot be read: not JSON, wrong shape, or a schema version newer than this build's. */
public class GraphFormatException extends Exception {
    private static final long serialVersionUID = 1L;
    private final Path file;

    public GraphFormatException(Path file, String message, Throwable cause) {
        super((file == null ? "" : file + ": ") + message, cause);
        this.file = file;
    }

    public Path file() {
        return file;
    }
}
