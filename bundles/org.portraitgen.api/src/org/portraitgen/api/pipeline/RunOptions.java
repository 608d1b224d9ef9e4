package org.portraitgen.api.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run a graph.
 *
 * @param baseDir     folder that relative file parameters resolve against (normally the graph file's folder)
 * @param cacheDir    the run cache: node results keyed by inputs, parameters and provider version; shared between
 *                    runs so unchanged nodes are not recomputed, and between machines on a render farm
 * @param parallelism how many independent nodes may execute at once (at least 1)
 * @param only        when non-null, run just this node and what it needs
 */
public record RunOptions(Path baseDir, Path cacheDir, int parallelism, String only) {

    public RunOptions {
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
    }

    public static RunOptions of(Path baseDir, Path cacheDir) {
        return new RunOptions(baseDir, cacheDir, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), null);
    }
}
