package org.portraitgen.api.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One node of a graph.
 *
 * @param id         unique within the graph; names the node in messages and in {@code --set id.param=value}
 * @param type       the node type, matched against {@code NodeDescriptor.type()} of a registered provider
 * @param parameters values as JSON scalars (String, Number, Boolean); unknown names are reported by validation
 * @param x          horizontal position on the editor canvas (ignored by execution)
 * @param y          vertical position on the editor canvas (ignored by execution)
 * @param provider   symbolic name of the bundle that provided the type when the graph was saved, or null; lets
 *                   validation tell "bundle not installed" from "no such node type"
 */
public record GraphNode(String id, String type, Map<String, Object> parameters, double x, double y,
        String provider) {

    public GraphNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters == null ? Map.of() : parameters));
    }

    public GraphNode(String id, String type, Map<String, Object> parameters) {
        this(id, type, parameters, 0, 0, null);
    }

    public GraphNode at(double newX, double newY) {
        return new GraphNode(id, type, parameters, newX, newY, provider);
    }

    public GraphNode withProvider(String bundle) {
        return new GraphNode(id, type, parameters, x, y, bundle);
    }

    public GraphNode withParameter(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(parameters);
        if (value == null) {
            copy.remove(name);
        } else {
            copy.put(name, value);
        }
        return new GraphNode(id, type, copy, x, y, provider);
    }
}
