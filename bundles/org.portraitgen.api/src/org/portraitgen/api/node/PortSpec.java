package org.portraitgen.api.node;

import java.util.Objects;

/**
 * A named input or output of a node type.
 *
 * @param optional for inputs: the node runs without a connection (then {@link NodeContext#input} is empty)
 */
public record PortSpec(String name, PortType type, String description, boolean optional) {

    public PortSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        description = description == null ? "" : description;
    }

    public static PortSpec of(String name, PortType type, String description) {
        return new PortSpec(name, type, description, false);
    }
}
