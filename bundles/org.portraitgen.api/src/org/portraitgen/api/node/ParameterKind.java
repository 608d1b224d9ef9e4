package org.portraitgen.api.node;

/** How a parameter is typed, validated and edited (the workbench picks its widget from this). */
public enum ParameterKind {
    INTEGER, NUMBER, BOOLEAN, STRING, ENUM,
    /** A file that must exist and be readable when the graph runs. */
    INPUT_FILE,
    /** A file the node writes; its folder must exist or be creatable. */
    OUTPUT_FILE,
    /** An sRGB colour as {@code #rrggbb}. */
    COLOR,
    /** Free text for a generative editor; multi-line in the editor. */
    PROMPT
}
