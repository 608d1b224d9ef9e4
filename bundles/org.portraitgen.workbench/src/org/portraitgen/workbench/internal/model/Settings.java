package org.portraitgen.workbench.internal.model;

import java.nio.file.Path;
import java.util.Objects;

import org.portraitgen.api.pipeline.RunOptions.Isolation;

/**
 * The artist's preferences that change how the workbench runs graphs and renders fields.
 *
 * @param cacheFolder        the run cache (shared with the command line)
 * @param isolation          where node code runs
 * @param nodeTimeoutSeconds a worker running one node longer is killed (0: no limit; worker processes only)
 * @param modelFolder        where nodes look for model files (e.g. the tracker's), or null for their default
 * @param gpu                whether the viewport and field nodes may use a GPU field service
 */
public record Settings(Path cacheFolder, Isolation isolation, long nodeTimeoutSeconds, Path modelFolder,
        boolean gpu) {

    public Settings {
        Objects.requireNonNull(cacheFolder, "cache folder");
        Objects.requireNonNull(isolation, "isolation");
        if (!cacheFolder.isAbsolute()) {
            throw new IllegalArgumentException("cache folder must be an absolute path: " + cacheFolder);
        }
        if (modelFolder != null && !modelFolder.isAbsolute()) {
            throw new IllegalArgumentException("model folder must be an absolute path: " + modelFolder);
        }
        if (nodeTimeoutSeconds < 0) {
            throw new IllegalArgumentException("node timeout must not be negative: " + nodeTimeoutSeconds);
        }
    }
}
