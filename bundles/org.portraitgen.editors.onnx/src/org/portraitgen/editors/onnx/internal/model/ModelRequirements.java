package org.portraitgen.editors.onnx.internal.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a pipeline needs of a model folder: the roles it reads and, for ONNX roles, the inputs and outputs it feeds
 * and reads. A dtype may list alternatives ("int32|int64") the pipeline handles both of; a shape's -1 accepts any
 * size.
 */
public final class ModelRequirements {

    /** Inputs and outputs one ONNX role must have (others may exist as long as the manifest declares them). */
    public record Signature(List<TensorSpec> inputs, List<TensorSpec> outputs) {
    }

    private final Map<String, Signature> onnx = new LinkedHashMap<>();
    private final Map<String, String> plainFiles = new LinkedHashMap<>();

    public ModelRequirements onnx(String role, List<TensorSpec> inputs, List<TensorSpec> outputs) {
        onnx.put(role, new Signature(inputs, outputs));
        return this;
    }

    /** A non-ONNX file (tokenizer vocabulary, merges), with what it is for the error message. */
    public ModelRequirements file(String role, String what) {
        plainFiles.put(role, what);
        return this;
    }

    public Map<String, Signature> onnxRoles() {
        return Map.copyOf(onnx);
    }

    public Map<String, String> fileRoles() {
        return Map.copyOf(plainFiles);
    }

    public static TensorSpec in(String name, String dtype, long... shape) {
        return new TensorSpec(name, dtype, shape);
    }
}
