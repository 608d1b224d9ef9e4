package org.portraitgen.api.pipeline;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives a run's events. Called from executor threads: hop to the UI thread before touching widgets. */
@ConsumerType
@FunctionalInterface
public interface RunListener {
    void onEvent(RunEvent event);
}
