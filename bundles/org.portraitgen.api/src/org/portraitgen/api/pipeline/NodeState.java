package org.portraitgen.api.pipeline;

/** Where a node of a run stands. */
public enum NodeState {
    WAITING, RUNNING, CACHED, SUCCEEDED, FAILED, CANCELLED,
    /** Not run because a node it depends on failed or was cancelled. */
    SKIPPED;

    public boolean isFinal() {
        return this != WAITING && this != RUNNING;
    }

    public boolean isSuccess() {
        return this == CACHED || this == SUCCEEDED;
    }
}
