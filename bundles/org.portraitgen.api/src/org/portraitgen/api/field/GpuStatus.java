package org.portraitgen.api.field;

import org.osgi.annotation.versioning.ProviderType;

/**
 * What the GPU field service found on this machine: registered by the GPU bundle whether or not a context opened,
 * so that {@code portraitgen version --gpu} can say what the GPU is or why it is not used.
 */
@ProviderType
public interface GpuStatus {

    /** True when a compute-capable context opened and the GPU {@link GaussianFieldService} is registered. */
    boolean available();

    /**
     * A multi-line report: renderer, version, extensions and limits of the opened context, or the reason none
     * opened. Waits for a context that is still opening.
     */
    String report();
}
