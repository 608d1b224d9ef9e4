package org.portraitgen.api.pipeline;

import java.util.concurrent.CompletableFuture;

import org.osgi.annotation.versioning.ProviderType;

/** A run in progress. */
@ProviderType
public interface RunHandle {

    String runId();

    /** Cancels every node still waiting or running. Finished node results stay in the cache for a later run. */
    void cancel();

    /** Cancels one node; nodes that depend on it are skipped. */
    void cancel(String nodeId);

    /** Completes when every node has reached a final state; never completes exceptionally. */
    CompletableFuture<RunResult> result();
}
