package org.portraitgen.api.farm;

import java.nio.file.Path;
import java.util.List;

/**
 * A graph run as submitted to a farm.
 *
 * @param runId     names the run in every farm command
 * @param graphFile the resolved graph (absolute paths, defaults filled) on the shared file system
 * @param cacheDir  the run cache on the shared file system: the only data plane between tasks
 * @param launcher  the {@code portraitgen} launcher as the farm machines see it
 * @param queue     scheduler queue or partition, or null for the default
 * @param layers    in dependency order
 */
public record FarmJob(String runId, String name, Path graphFile, Path cacheDir, Path launcher, String queue,
        List<FarmLayer> layers) {

    public FarmJob {
        layers = List.copyOf(layers);
    }
}
