package org.portraitgen.field.gl.internal.raster;

import java.util.Map;

import org.portraitgen.field.gl.internal.Dispatch;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.ShaderLibrary;

/** Dispatches shaders/project_gaussians.comp: one thread per Gaussian. */
final class ProjectGaussians {
    static final int WORKGROUP_SIZE = 256;

    private ProjectGaussians() {
    }

    static void run(ShaderLibrary shaders, int count, GlBuffer camera, GaussianBuffers in, GlBuffer projected,
            GlBuffer depthKeys, GlBuffer depthOrder, GlBuffer depthKeyBits) {
        int program = shaders.program("project_gaussians.comp",
                Map.of("WORKGROUP_SIZE", WORKGROUP_SIZE, "TILE_SIZE", GlRasterizer.TILE));
        camera.bind(0);
        in.means.bind(1);
        in.logScales.bind(2);
        in.quats.bind(3);
        in.opacityLogits.bind(4);
        projected.bind(5);
        depthKeys.bind(6);
        depthOrder.bind(7);
        depthKeyBits.upload(new int[] {0, -1}); // OR and AND identities
        depthKeyBits.bind(8);
        Dispatch.uniform(program, 0, count);
        Dispatch.run(program, Dispatch.groups(count, WORKGROUP_SIZE), 1);
    }
}
