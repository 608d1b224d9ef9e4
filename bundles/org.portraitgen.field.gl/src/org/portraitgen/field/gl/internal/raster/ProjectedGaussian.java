package org.portraitgen.field.gl.internal.raster;

/**
 * Host mirror of {@code struct ProjectedGaussian} in shaders/common/projected_gaussian.glsl (std430, 48 bytes):
 * the field offsets, in 4-byte words, for tests and tools that read the buffer back.
 */
public final class ProjectedGaussian {
    public static final int BYTES = 48;
    public static final int WORDS = BYTES / 4;
    public static final int XY = 0;
    public static final int DEPTH = 2;
    public static final int TILE_COUNT = 3;
    public static final int CONIC_OPACITY = 4;
    public static final int TILE_RECT = 8;

    private ProjectedGaussian() {
    }
}
