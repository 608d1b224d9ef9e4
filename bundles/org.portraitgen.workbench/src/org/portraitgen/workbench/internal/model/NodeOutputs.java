package org.portraitgen.workbench.internal.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The output folders of each node's last successful run, for thumbnails and the viewport. Written when a run ends
 * (on an executor thread), read by painters on the UI thread.
 */
public final class NodeOutputs {
    private final Map<String, Map<String, Path>> byNode = new ConcurrentHashMap<>();
    private final Listeners listeners = new Listeners();

    public void put(String nodeId, Map<String, Path> outputs) {
        byNode.put(nodeId, Map.copyOf(outputs));
        listeners.fire();
    }

    /** Output port name to folder; empty when the node has not run yet. */
    public Map<String, Path> of(String nodeId) {
        return byNode.getOrDefault(nodeId, Map.of());
    }

    public void clear() {
        byNode.clear();
        listeners.fire();
    }

    /** Called on the thread that changed the outputs. */
    public void addListener(Runnable r) {
        listeners.add(r);
    }

    public void removeListener(Runnable r) {
        listeners.remove(r);
    }
}
