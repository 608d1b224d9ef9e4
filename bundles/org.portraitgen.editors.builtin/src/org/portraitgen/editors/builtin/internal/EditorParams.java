package org.portraitgen.editors.builtin.internal;

import java.util.Map;

import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.node.ParameterSpec;

/** An editor's own parameters with the descriptor's defaults and ranges applied; errors name the parameter. */
final class EditorParams {

    private final EditorDescriptor descriptor;
    private final Map<String, Object> values;

    EditorParams(EditorDescriptor descriptor, Map<String, Object> values) {
        this.descriptor = descriptor;
        this.values = values;
        for (String name : values.keySet()) {
            spec(name);
        }
    }

    double number(String name) {
        ParameterSpec spec = spec(name);
        Object v = values.getOrDefault(name, spec.defaultValue());
        double d;
        try {
            d = v instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(prefix(name) + "must be a number, got '" + v + "'");
        }
        if ((spec.min() != null && d < spec.min()) || (spec.max() != null && d > spec.max()) || Double.isNaN(d)) {
            throw new IllegalArgumentException(prefix(name) + "must be in [" + spec.min() + ", " + spec.max()
                    + "], got " + d);
        }
        return d;
    }

    int integer(String name) {
        double d = number(name);
        if (d != Math.rint(d)) {
            throw new IllegalArgumentException(prefix(name) + "must be a whole number, got " + d);
        }
        return (int) d;
    }

    String choice(String name) {
        ParameterSpec spec = spec(name);
        String v = String.valueOf(values.getOrDefault(name, spec.defaultValue()));
        if (!spec.choices().isEmpty() && !spec.choices().contains(v)) {
            throw new IllegalArgumentException(prefix(name) + "must be one of " + spec.choices() + ", got '" + v
                    + "'");
        }
        return v;
    }

    private ParameterSpec spec(String name) {
        return descriptor.parameters().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(prefix(name) + "is not a parameter of this editor"));
    }

    private String prefix(String name) {
        return "editor '" + descriptor.id() + "': parameter '" + name + "' ";
    }
}
