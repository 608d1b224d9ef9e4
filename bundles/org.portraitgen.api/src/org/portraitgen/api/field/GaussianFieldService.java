package org.portraitgen.api.field;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ProviderType;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;

/**
 * The one owner of Gaussian fields in a process. The CPU implementation is the reference; a GPU implementation
 * registers with a higher service ranking when a compute-capable context opens, and consumers take the best ranked.
 * Fields are handles, so that GPU memory never crosses bundles.
 */
@ProviderType
public interface GaussianFieldService {

    /** "cpu", "gl", ... */
    String backend();

    FieldHandle load(Path checkpoint) throws IOException;

    void save(FieldHandle field, Path checkpoint) throws IOException;

    /** Renders RGB at the camera of the given rig state. */
    FloatImage render(FieldHandle field, RigState state) throws IOException;

    void release(FieldHandle field);

    /** An opaque reference to a field owned by the service. */
    record FieldHandle(String id, int gaussians, int featureChannels) {
    }
}
