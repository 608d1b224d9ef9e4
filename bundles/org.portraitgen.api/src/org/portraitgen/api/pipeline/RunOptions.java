package org.portraitgen.api.pipeline;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.portraitgen.api.node.FrameSlice;

/**
 * How to run a graph.
 *
 * @param baseDir         folder that relative file parameters resolve against (normally the graph file's folder)
 * @param cacheDir        the run cache: node results keyed by inputs, parameters and provider version; shared
 *                        between runs so unchanged nodes are not recomputed, and between machines on a render farm
 * @param parallelism     how many independent nodes may execute at once (at least 1)
 * @param only            when non-null, run just this node and what it needs
 * @param isolation       where node code runs
 * @param nodeTimeoutSeconds a worker running one node longer than this is killed and the node fails (0: no limit;
 *                        only with {@link Isolation#WORKER_PROCESS})
 * @param slice           with {@code only}: execute just this share of the node's frames and keep it apart in the
 *                        cache (a render-farm array task), or null
 * @param mergeSlices     with {@code only}: join this many finished slices into the node's result (0: no merge)
 * @param allowedRoots    folders besides the project folder that file parameters may name (the project folder is
 *                        {@code baseDir} or the nearest folder above it holding a {@code portraitgen.project} file);
 *                        a file parameter outside all of them, through {@code ..}, an absolute path or a symbolic
 *                        link, is refused naming its node and parameter (since 1.2)
 */
public record RunOptions(Path baseDir, Path cacheDir, int parallelism, String only, Isolation isolation,
        long nodeTimeoutSeconds, FrameSlice slice, int mergeSlices, List<Path> allowedRoots) {

    /** Where node code runs. */
    public enum Isolation {
        /** In the calling process: fastest; for tests, small graphs and the workers themselves. */
        IN_PROCESS,
        /**
         * In a headless worker process of the same installation ({@code portraitgen run-node}), so that a native
         * crash, an out-of-memory or a hang fails the node, not the caller. Needs an installed product.
         */
        WORKER_PROCESS
    }

    public RunOptions {
        Objects.requireNonNull(baseDir, "baseDir");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(isolation, "isolation");
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1, was " + parallelism);
        }
        if ((slice != null || mergeSlices > 0) && only == null) {
            throw new IllegalArgumentException("slices and merges apply to one node: set 'only'");
        }
        if (nodeTimeoutSeconds < 0) {
            throw new IllegalArgumentException("nodeTimeoutSeconds must not be negative, was " + nodeTimeoutSeconds);
        }
        allowedRoots = allowedRoots == null ? List.of() : List.copyOf(allowedRoots);
    }

    /** Options with no roots allowed besides the project folder. */
    public RunOptions(Path baseDir, Path cacheDir, int parallelism, String only, Isolation isolation,
            long nodeTimeoutSeconds, FrameSlice slice, int mergeSlices) {
        this(baseDir, cacheDir, parallelism, only, isolation, nodeTimeoutSeconds, slice, mergeSlices, List.of());
    }

    public RunOptions(Path baseDir, Path cacheDir, int parallelism, String only, Isolation isolation,
            long nodeTimeoutSeconds) {
        this(baseDir, cacheDir, parallelism, only, isolation, nodeTimeoutSeconds, null, 0);
    }

    public RunOptions(Path baseDir, Path cacheDir, int parallelism, String only) {
        this(baseDir, cacheDir, parallelism, only, Isolation.IN_PROCESS, 0, null, 0);
    }

    public static RunOptions of(Path baseDir, Path cacheDir) {
        return new RunOptions(baseDir, cacheDir, Math.max(1, Runtime.getRuntime().availableProcessors() / 2), null);
    }

    public RunOptions withIsolation(Isolation newIsolation, long timeoutSeconds) {
        return new RunOptions(baseDir, cacheDir, parallelism, only, newIsolation, timeoutSeconds, slice, mergeSlices,
                allowedRoots);
    }

    /** @since 1.2 */
    public RunOptions withAllowedRoots(List<Path> roots) {
        return new RunOptions(baseDir, cacheDir, parallelism, only, isolation, nodeTimeoutSeconds, slice, mergeSlices,
                roots);
    }
}
