package org.portraitgen.api.tracking;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A deforming triangle mesh with fixed topology and UV layout, tracked over a clip. Gaussians bind to its
 * triangles, so every frame has the same triangles.
 */
@ProviderType
public interface Rig {

    int vertexCount();

    /** Vertex indices, three per triangle. */
    int[] triangles();

    /** u,v per vertex in [0, 1]. */
    float[] uvs();

    int frameCount();

    RigState state(int frame);
}
