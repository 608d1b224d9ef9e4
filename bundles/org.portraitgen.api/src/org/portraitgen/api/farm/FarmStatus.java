package org.portraitgen.api.farm;

import java.nio.file.Path;
import java.util.List;

/**
 * Where a farm run stands.
 *
 * @param layers in dependency order
 */
public record FarmStatus(String runId, List<LayerStatus> layers) {

    public FarmStatus {
        layers = List.copyOf(layers);
    }

    /** A layer's state as the scheduler and the tasks' own reports tell it. */
    public enum State {
        CACHED, QUEUED, RUNNING, SUCCEEDED, FAILED, CANCELLED;

        public boolean isFinal() {
            return this != QUEUED && this != RUNNING;
        }
    }

    /**
     * @param attempts tries so far (retries included)
     * @param host     the machine that ran the last attempt, or null
     * @param message  why it failed or was cancelled, else null
     * @param log      the task's log file
     * @param fraction progress of the running attempt in [0, 1]
     */
    public record LayerStatus(String nodeId, State state, String schedulerId, int attempts, String host,
            String message, Path log, double fraction) {
    }

    public boolean finished() {
        return layers.stream().allMatch(l -> l.state().isFinal());
    }

    public boolean succeeded() {
        return layers.stream().allMatch(l -> l.state() == State.SUCCEEDED || l.state() == State.CACHED);
    }
}
