package org.portraitgen.field.gl.internal.raster;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/** Dispatches shaders/rasterize_to_pixels.comp: one 16x16 work group per tile. */
final class RasterizeToPixels {
    private RasterizeToPixels() {
    }

    static void run(ShaderLibrary shaders, int channels, int width, int height, int tilesX, int tilesY,
            GlBuffer projected, GlBuffer features, GlBuffer isectIds, GlBuffer tileRanges, GlBuffer outFeatures,
            GlBuffer outAux, GlBuffer outLast) {
        int program = shaders.program("rasterize_to_pixels.comp",
                Map.of("TILE_SIZE", GlRasterizer.TILE, "CHANNELS", channels));
        long pixels = (long) width * height;
        outFeatures.ensure(4L * channels * pixels);
        outAux.ensure(12L * pixels);
        outLast.ensure(4L * pixels);
        GlBuffer.checkError("allocating a " + width + "x" + height + "x" + channels + " render");
        projected.bind(0);
        features.bind(1);
        isectIds.bind(2);
        tileRanges.bind(3);
        outFeatures.bind(4);
        outAux.bind(5);
        outLast.bind(6);
        Dispatch.uniform(program, 0, width);
        Dispatch.uniform(program, 1, height);
        Dispatch.uniform(program, 2, tilesX);
        Dispatch.run(program, tilesX, tilesY);
    }
}
