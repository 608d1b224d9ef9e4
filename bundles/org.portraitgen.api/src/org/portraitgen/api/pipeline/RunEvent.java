package org.portraitgen.api.pipeline;

/**
 * Something that happened in a run, in the order it happened for each node.
 *
 * @param nodeId      the node, or null for events of the whole run
 * @param state       the node's state after this event
 * @param fraction    the node's progress in [0, 1]
 * @param etaSeconds  estimated seconds left for the node, or -1 when unknown
 * @param message     progress text, log line or failure description
 * @param metricName  for {@link Kind#METRIC}: the figure's name, else null
 * @param step        for {@link Kind#METRIC}: the step, else 0
 * @param value       for {@link Kind#METRIC}: the figure's value, else 0
 */
public record RunEvent(String runId, Kind kind, String nodeId, NodeState state, double fraction, double etaSeconds,
        String message, String metricName, long step, double value) {

    public enum Kind { STATE, PROGRESS, LOG, METRIC }

    public static RunEvent state(String runId, String nodeId, NodeState state, String message) {
        return new RunEvent(runId, Kind.STATE, nodeId, state, state.isSuccess() ? 1 : 0, -1, message, null, 0, 0);
    }
}
