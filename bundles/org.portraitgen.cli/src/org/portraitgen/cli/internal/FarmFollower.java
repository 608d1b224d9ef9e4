package org.portraitgen.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmStatus;
import org.portraitgen.api.farm.FarmStatus.LayerStatus;
import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunListener;

/** Polls a farm run and reports it through the same listener as a local run, so both look alike. */
final class FarmFollower {

    private final FarmAdapter adapter;
    private final Path cache;
    private final String runId;
    private final RunListener listener;
    private final Map<String, FarmStatus.State> lastState = new HashMap<>();
    private final Map<String, Double> lastFraction = new HashMap<>();

    FarmFollower(FarmAdapter adapter, Path cache, String runId, RunListener listener) {
        this.adapter = adapter;
        this.cache = cache;
        this.runId = runId;
        this.listener = listener;
    }

    FarmStatus follow() throws IOException, InterruptedException {
        while (true) {
            FarmStatus status = adapter.status(cache, runId);
            for (LayerStatus layer : status.layers()) {
                report(layer);
            }
            if (status.finished()) {
                return status;
            }
            Thread.sleep(1000);
        }
    }

    private void report(LayerStatus layer) {
        FarmStatus.State previous = lastState.put(layer.nodeId(), layer.state());
        if (previous != layer.state()) {
            String where = layer.host() == null ? "" : " on " + layer.host()
                    + (layer.attempts() > 1 ? " (attempt " + layer.attempts() + ")" : "");
            listener.onEvent(RunEvent.state(runId, layer.nodeId(), nodeState(layer.state()),
                    layer.state().name().toLowerCase() + where + (layer.message() == null ? "" : ": "
                            + layer.message())));
        }
        if (layer.state() == FarmStatus.State.RUNNING && layer.fraction() > lastFraction.getOrDefault(
                layer.nodeId(), 0.0)) {
            lastFraction.put(layer.nodeId(), layer.fraction());
            listener.onEvent(new RunEvent(runId, RunEvent.Kind.PROGRESS, layer.nodeId(), NodeState.RUNNING,
                    layer.fraction(), -1, "on " + layer.host(), null, 0, 0));
        }
    }

    private static NodeState nodeState(FarmStatus.State s) {
        return switch (s) {
            case CACHED -> NodeState.CACHED;
            case QUEUED -> NodeState.WAITING;
            case RUNNING -> NodeState.RUNNING;
            case SUCCEEDED -> NodeState.SUCCEEDED;
            case FAILED -> NodeState.FAILED;
            case CANCELLED -> NodeState.CANCELLED;
        };
    }
}
