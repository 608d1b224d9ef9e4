package org.portraitgen.field.gl.internal.raster;

import org.portraitgen.field.gl.internal.GlBuffer;

/**
 * The Gaussians' parameters on the GPU, one buffer per group (as {@link GaussianParams}): the rasterizer's input,
 * uploaded or written by kernels (the GPU triangle binding).
 */
public final class GaussianBuffers implements AutoCloseable {
    public final GlBuffer means = new GlBuffer("means");
    public final GlBuffer logScales = new GlBuffer("logScales");
    public final GlBuffer quats = new GlBuffer("quats");
    public final GlBuffer opacityLogits = new GlBuffer("opacityLogits");
    public final GlBuffer features = new GlBuffer("features");

    void upload(GaussianParams p) {
        means.upload(p.means());
        logScales.upload(p.logScales());
        quats.upload(p.quats());
        opacityLogits.upload(p.opacityLogits());
        features.upload(p.features());
        GlBuffer.checkError("uploading " + p.count() + " Gaussians");
    }

    /** Room for {@code count} Gaussians of {@code channels} features, contents undefined. */
    void ensure(int count, int channels) {
        means.ensure(12L * count);
        logScales.ensure(12L * count);
        quats.ensure(16L * count);
        opacityLogits.ensure(4L * count);
        features.ensure(4L * count * channels);
        GlBuffer.checkError("allocating buffers for " + count + " Gaussians");
    }

    long bytes() {
        return means.capacity() + logScales.capacity() + quats.capacity() + opacityLogits.capacity()
                + features.capacity();
    }

    @Override
    public void close() {
        means.close();
        logScales.close();
        quats.close();
        opacityLogits.close();
        features.close();
    }
}
