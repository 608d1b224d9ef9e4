package org.portraitgen.api.node;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's parameter values after validation, with defaults filled in. Numbers arrive as JSON numbers; these
 * accessors convert them. Relative file paths were resolved against the graph's folder by the pipeline.
 */
public final class NodeParameters {
    private final Map<String, Object> values;

    public NodeParameters(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Map<String, Object> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public String string(String name) {
        Object v = require(name);
        return v.toString();
    }

    public int integer(String name) {
        Object v = require(name);
        if (v instanceof Number n) {
            return n.intValue();
        }
        return Integer.parseInt(v.toString().trim());
    }

    public double number(String name) {
        Object v = require(name);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return Double.parseDouble(v.toString().trim());
    }

    public boolean bool(String name) {
        Object v = require(name);
        if (v instanceof Boolean b) {
            return b;
        }
        return Boolean.parseBoolean(v.toString().trim());
    }

    public Path path(String name) {
        return Path.of(string(name));
    }

    private Object require(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("parameter '" + name + "' has no value");
        }
        return v;
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
