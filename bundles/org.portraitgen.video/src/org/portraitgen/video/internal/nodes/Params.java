package org.portraitgen.video.internal.nodes;

import java.nio.file.Path;

import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.ParameterSpec;

/**
 * A node's parameters read against its descriptor: absent values fall back to the declared default (the pipeline
 * fills them in, but a caller that does not must still get the documented behaviour), bad values fail with the
 * parameter's name.
 */
final class Params {

    private final NodeContext context;
    private final NodeDescriptor descriptor;
    private final NodeParameters values;

    Params(NodeContext context, NodeDescriptor descriptor) {
        this.context = context;
        this.descriptor = descriptor;
        this.values = context.parameters();
    }

    int integer(String name) throws NodeException {
        return (int) Math.round(number(name));
    }

    double number(String name) throws NodeException {
        Object v = value(name);
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw bad(name, "'" + v + "' is not a number");
        }
        ParameterSpec spec = spec(name);
        if (!Double.isFinite(d) || (spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max())) {
            throw bad(name, d + " is outside [" + spec.min() + ", " + spec.max() + "]");
        }
        return d;
    }

    boolean bool(String name) throws NodeException {
        Object v = value(name);
        return v instanceof Boolean b ? b : Boolean.parseBoolean(v.toString().trim());
    }

    String string(String name) throws NodeException {
        String s = value(name).toString();
        ParameterSpec spec = spec(name);
        if (!spec.choices().isEmpty() && !spec.choices().contains(s)) {
            throw bad(name, "'" + s + "' is not one of " + spec.choices());
        }
        return s;
    }

    Path path(String name) throws NodeException {
        return Path.of(string(name));
    }

    NodeException bad(String name, String what) {
        return NodeSupport.failure(context, descriptor.type(), "parameter '" + name + "': " + what);
    }

    private Object value(String name) throws NodeException {
        if (values.has(name)) {
            return values.asMap().get(name);
        }
        Object def = spec(name).defaultValue();
        if (def == null) {
            throw bad(name, "is required");
        }
        return def;
    }

    private ParameterSpec spec(String name) {
        return descriptor.parameter(name).orElseThrow(
                () -> new IllegalStateException(descriptor.type() + " declares no parameter '" + name + "'"));
    }
}
