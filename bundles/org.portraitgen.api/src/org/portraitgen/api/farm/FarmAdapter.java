package org.portraitgen.api.farm;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Submits graph runs to a scheduler. Registered with the service property {@value #ID_PROPERTY}; the CLI's
 * {@code --farm ID} picks one. A run's records live on the shared file system under the cache
 * ({@code cache/farm/RUN/}), so any machine that sees the cache can ask for its status, logs or cancellation.
 */
@ConsumerType
public interface FarmAdapter {

    String ID_PROPERTY = "portraitgen.farm.id";

    String id();

    /** Submits every layer not yet cached, with its dependencies; returns once the scheduler accepted them all. */
    void submit(FarmJob job) throws IOException;

    FarmStatus status(Path cacheDir, String runId) throws IOException;

    /** Cancels every task of the run still queued or running; finished results stay in the cache. */
    void cancel(Path cacheDir, String runId) throws IOException;
}
