package org.portraitgen.field.gl.internal.raster;

import org.portraitgen.field.gl.internal.GlBuffer;

/** The Gaussians' parameters on the GPU, one buffer per group (as {@link GaussianParams}). */
final class GaussianBuffers implements AutoCloseable {
    final GlBuffer means = new GlBuffer("means");
    final GlBuffer logScales = new GlBuffer("logScales");
    final GlBuffer quats = new GlBuffer("quats");
    final GlBuffer opacityLogits = new GlBuffer("opacityLogits");
    final GlBuffer features = new GlBuffer("features");

    void upload(GaussianParams p) {
        means.upload(p.means());
        logScales.upload(p.logScales());
        quats.upload(p.quats());
        opacityLogits.upload(p.opacityLogits());
        features.upload(p.features());
        GlBuffer.checkError("uploading " + p.count() + " Gaussians");
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
