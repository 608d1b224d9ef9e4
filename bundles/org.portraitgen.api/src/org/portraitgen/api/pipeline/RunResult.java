package org.portraitgen.api.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.portraitgen.api.graph.Problem;

/**
 * The outcome of a run.
 *
 * @param problems validation problems that stopped the run before it started (empty otherwise)
 * @param nodes    per node: final state, failure message and output folders
 */
public record RunResult(String runId, List<Problem> problems, Map<String, NodeOutcome> nodes) {

    public RunResult {
        problems = List.copyOf(problems);
        nodes = Map.copyOf(nodes);
    }

    public boolean succeeded() {
        return problems.isEmpty() && nodes.values().stream().allMatch(o -> o.state().isSuccess());
    }

    /** The graph was invalid, or a node found its input unusable. */
    public boolean invalid() {
        return !problems.isEmpty() || nodes.values().stream().anyMatch(NodeOutcome::invalidInput);
    }

    /**
     * @param outputs output port name to the cached folder holding its value (for successful nodes)
     * @param message      the failure for FAILED nodes, else null
     * @param invalidInput the failure was an unusable input (see {@code InvalidInputException}), not a fault
     */
    public record NodeOutcome(String nodeId, NodeState state, Map<String, Path> outputs, String message,
            double seconds, boolean invalidInput) {
        public NodeOutcome {
            outputs = Map.copyOf(outputs);
        }
    }
}
