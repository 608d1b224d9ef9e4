package org.portraitgen.api.node;

/**
 * What one execution of a node asks of a machine. The local executor uses it to bound parallel work; a render-farm
 * adapter turns it into a job request.
 *
 * @param cpus       cores the node keeps busy
 * @param memoryMb   peak resident memory, megabytes
 * @param gpus       GPUs required (0: runs on a CPU-only worker)
 * @param perFrame   the node processes frames independently, so a farm may split it into frame-range tasks
 */
public record ResourceNeeds(int cpus, int memoryMb, int gpus, boolean perFrame) {

    public static final ResourceNeeds LIGHT = new ResourceNeeds(1, 512, 0, false);

    public ResourceNeeds {
        if (cpus < 1 || memoryMb < 1 || gpus < 0) {
            throw new IllegalArgumentException("resource needs must be positive: " + cpus + " cpus, " + memoryMb
                    + " MB, " + gpus + " gpus");
        }
    }
}
