package org.portraitgen.api.graph;

/**
 * One validation finding. Each problem names its culprit so that a person can find it: the node, and where it
 * applies the port or parameter.
 *
 * @param kind      what is wrong, for tools that react to it (the workbench marks nodes, the CLI picks an exit code)
 * @param nodeId    the node concerned, or null for graph-wide problems
 * @param detail    the port or parameter name concerned, or null
 * @param message   a complete sentence for people
 */
public record Problem(Kind kind, String nodeId, String detail, String message) {

    public enum Kind {
        MALFORMED_DOCUMENT,
        DUPLICATE_NODE_ID,
        UNKNOWN_NODE_TYPE,
        MISSING_PROVIDER,
        UNKNOWN_PORT,
        PORT_TYPE_MISMATCH,
        UNCONNECTED_INPUT,
        DUPLICATE_INPUT,
        CYCLE,
        UNKNOWN_PARAMETER,
        MISSING_PARAMETER,
        INVALID_PARAMETER,
        PARAMETER_OUT_OF_RANGE,
        UNREADABLE_FILE
    }

    @Override
    public String toString() {
        return message;
    }
}
