package org.portraitgen.editors.onnx.internal.model;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Compares a model's actual inputs and outputs with its manifest, and a manifest with what a pipeline needs. */
final class SignatureCheck {

    private SignatureCheck() {
    }

    static void againstManifest(Path model, ModelFile declared, Map<String, TensorSpec> actualInputs,
            Map<String, TensorSpec> actualOutputs, List<String> problems) {
        compare(model, "input", declared.inputs(), actualInputs, problems);
        compare(model, "output", declared.outputs(), actualOutputs, problems);
    }

    private static void compare(Path model, String kind, List<TensorSpec> declared, Map<String, TensorSpec> actual,
            List<String> problems) {
        for (TensorSpec d : declared) {
            TensorSpec a = actual.get(d.name());
            if (a == null) {
                problems.add(model + " has no " + kind + " '" + d.name() + "' (the manifest expects " + d
                        + "); its " + kind + "s are " + actual.values());
                continue;
            }
            if (!a.dtype().equals(d.dtype())) {
                problems.add(model + " " + kind + " '" + d.name() + "': expected dtype " + d.dtype() + ", actual "
                        + a.dtype());
            }
            if (!compatible(d.shape(), a.shape())) {
                problems.add(model + " " + kind + " '" + d.name() + "': expected shape "
                        + TensorSpec.format(d.shape()) + ", actual " + TensorSpec.format(a.shape()));
            }
        }
        for (TensorSpec a : actual.values()) {
            if (declared.stream().noneMatch(d -> d.name().equals(a.name()))) {
                problems.add(model + " has " + kind + " " + a + " that its manifest does not declare");
            }
        }
    }

    static void againstPipeline(Path manifest, ModelFile declared, ModelRequirements.Signature needed,
            List<String> problems) {
        need(manifest, declared, "input", needed.inputs(), declared.inputs(), problems);
        need(manifest, declared, "output", needed.outputs(), declared.outputs(), problems);
    }

    private static void need(Path manifest, ModelFile declared, String kind, List<TensorSpec> needed,
            List<TensorSpec> have, List<String> problems) {
        for (TensorSpec n : needed) {
            TensorSpec h = have.stream().filter(t -> t.name().equals(n.name())).findFirst().orElse(null);
            String where = manifest + ", '" + declared.role() + "' (" + declared.path() + ")";
            if (h == null) {
                problems.add(where + ": the pipeline needs " + kind + " '" + n.name() + "' " + n.dtype()
                        + TensorSpec.format(n.shape()) + ", which is not declared");
            } else if (!Arrays.asList(n.dtype().split("\\|")).contains(h.dtype())) {
                problems.add(where + ": " + kind + " '" + n.name() + "' must be " + n.dtype() + ", declared "
                        + h.dtype());
            } else if (!compatible(n.shape(), h.shape())) {
                problems.add(where + ": " + kind + " '" + n.name() + "' must have shape "
                        + TensorSpec.format(n.shape()) + ", declared " + TensorSpec.format(h.shape()));
            }
        }
    }

    /** Same rank, and where both sides fix a size, the same size (-1 on either side is dynamic). */
    static boolean compatible(long[] expected, long[] actual) {
        if (expected.length != actual.length) {
            return false;
        }
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] >= 0 && actual[i] >= 0 && expected[i] != actual[i]) {
                return false;
            }
        }
        return true;
    }
}
