package org.portraitgen.field.gl.internal.raster;

/** A forward render read back to the host: planar [C, H, W] features, [H, W] alpha and alpha-weighted depth. */
public record GlRender(int width, int height, int channels, float[] features, float[] alpha, float[] depth) {
}
