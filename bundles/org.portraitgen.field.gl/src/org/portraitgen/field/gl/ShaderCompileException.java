package org.portraitgen.field.gl;

/** A shader that did not compile or link; the message names the resource and the line of the driver's log. */
public class ShaderCompileException extends GlException {
    private static final long serialVersionUID = 1L;
    private final String shader;
    private final int line;

    public ShaderCompileException(String shader, int line, String log) {
        super(shader + (line > 0 ? ":" + line : "") + ": " + log.strip());
        this.shader = shader;
        this.line = line;
    }

    /** The bundle resource, e.g. {@code shaders/sort/radix_count.comp}. */
    public String shader() {
        return shader;
    }

    /** The first line the driver complained about, in the file's own numbering; 0 when the log names none. */
    public int line() {
        return line;
    }
}
