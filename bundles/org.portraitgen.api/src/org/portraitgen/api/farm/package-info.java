/**
 * Render-farm adapters: a graph run becomes a farm job of layers (one per node) of tasks, shaped like the job model
 * of render-farm managers (OpenCue, Deadline) so that adapters for other schedulers fit the same interface.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.portraitgen.api.farm;
