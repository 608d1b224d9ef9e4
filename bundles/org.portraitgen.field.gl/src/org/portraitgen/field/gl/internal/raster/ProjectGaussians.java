package org.portraitgen.field.gl.internal.raster;

import static org.lwjgl.opengl.GL43C.*;

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
        // OR and AND identities, set on the GPU: no host data to wait for while the last frame still reads them
        depthKeyBits.ensure(8);
        glBindBuffer(GL_SHADER_STORAGE_BUFFER, depthKeyBits.id());
        glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, 0, 4, GL_RED_INTEGER, GL_UNSIGNED_INT, new int[] {0});
        glClearBufferSubData(GL_SHADER_STORAGE_BUFFER, GL_R32UI, 4, 4, GL_RED_INTEGER, GL_UNSIGNED_INT,
                new int[] {-1});
        depthKeyBits.bind(8);
        Dispatch.uniform(program, 0, count);
        Dispatch.run(program, Dispatch.groups(count, WORKGROUP_SIZE), 1);
    }
}
