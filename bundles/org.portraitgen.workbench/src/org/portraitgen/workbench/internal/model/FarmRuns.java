package org.portraitgen.workbench.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.util.tracker.ServiceTracker;
import org.portraitgen.api.farm.FarmAdapter;
import org.portraitgen.api.farm.FarmStatus;

/**
 * Render-farm runs submitted with this workbench's run cache (from here or from the command line), and their status
 * as the installed farm adapters report it. Asking the scheduler starts processes: call {@link #status} off the
 * display thread.
 */
public final class FarmRuns implements AutoCloseable {
    private final ServiceTracker<FarmAdapter, FarmAdapter> adapters;
    private final Path cacheDir;

    public FarmRuns(BundleContext context, Path cacheDir) {
        this.cacheDir = cacheDir;
        this.adapters = new ServiceTracker<>(context, FarmAdapter.class, null);
        adapters.open();
    }

    /** Run ids found under the cache's {@code farm/} folder, newest first. */
    public List<String> runIds() {
        Path farm = cacheDir.resolve("farm");
        if (!Files.isDirectory(farm)) {
            return List.of();
        }
        try (Stream<Path> runs = Files.list(farm)) {
            return runs.filter(r -> Files.isRegularFile(r.resolve("run.json")))
                    .sorted(Comparator.comparing(FarmRuns::modified).reversed())
                    .map(r -> r.getFileName().toString()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The run's status from the first adapter that can read its records; empty when none can. */
    public Optional<FarmStatus> status(String runId) {
        FarmAdapter[] all = adapters.getServices(new FarmAdapter[0]);
        for (FarmAdapter adapter : all) {
            try {
                return Optional.of(adapter.status(cacheDir, runId));
            } catch (IOException | RuntimeException notItsRun) {
                // try the next adapter
            }
        }
        return Optional.empty();
    }

    private static long modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        adapters.close();
    }
}
