package org.portraitgen.api.node;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything known about a node type before it runs: its ports, parameter schema and resource needs.
 *
 * @param type     stable id used in graph documents, e.g. {@code video.decode}
 * @param label    short name for the palette
 * @param category palette group, e.g. {@code Video}
 * @param version  the implementation's version; part of every cache key, so bump it when outputs change
 */
public record NodeDescriptor(String type, String label, String category, String description, String version,
        List<PortSpec> inputs, List<PortSpec> outputs, List<ParameterSpec> parameters, ResourceNeeds resources) {

    public NodeDescriptor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(version, "version");
        label = label == null ? type : label;
        category = category == null ? "Other" : category;
        description = description == null ? "" : description;
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        parameters = List.copyOf(parameters);
        resources = resources == null ? ResourceNeeds.LIGHT : resources;
    }

    public Optional<PortSpec> input(String name) {
        return inputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<PortSpec> output(String name) {
        return outputs.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
