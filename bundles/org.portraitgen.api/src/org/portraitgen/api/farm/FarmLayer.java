package org.portraitgen.api.farm;

import java.util.List;

import org.portraitgen.api.node.ResourceNeeds;

/**
 * One node of the graph as a farm layer.
 *
 * @param nodeId    the graph node it runs
 * @param dependsOn layers that must succeed first (the graph's edges)
 * @param resources what each task asks of a machine
 * @param retries   how often a failed task is tried again before the layer fails
 * @param cached    the node's result is already in the cache: nothing is submitted for it
 * @param slices    tasks the layer's frames are split into (a job array plus a merge task); 1 for one task
 */
public record FarmLayer(String nodeId, List<String> dependsOn, ResourceNeeds resources, int retries,
        boolean cached, int slices) {

    public FarmLayer {
        dependsOn = List.copyOf(dependsOn);
        if (slices < 1) {
            throw new IllegalArgumentException("a layer has at least one slice, not " + slices);
        }
    }
}
