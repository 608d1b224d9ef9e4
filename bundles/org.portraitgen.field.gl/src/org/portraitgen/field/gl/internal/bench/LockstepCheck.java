package org.portraitgen.field.gl.internal.bench;

import org.portraitgen.field.gl.GlContext;

/**
 * The rasterizer's backward against the CPU on scenes of large, overlapping splats, where the pixel kernel's
 * subgroup sums (LOCKSTEP, on devices with subgroup arithmetic) take over from per-pixel atomics; run it with
 * {@code -Dportraitgen.gpu.raster.lockstep=false} for the per-pixel kernel. llvmpipe has no subgroup arithmetic in GL,
 * so CI's parity tests cover the per-pixel kernel only.
 *
 * <pre>java -cp "jars/*" org.portraitgen.field.gl.internal.bench.LockstepCheck</pre>
 */
public final class LockstepCheck {
    private LockstepCheck() {
    }

    public static void main(String[] args) {
        try (GlContext gl = GlContext.open()) {
            System.out.println("device: " + gl.capabilities().renderer() + "; lockstep property: "
                    + System.getProperty("portraitgen.gpu.raster.lockstep", "(unset: on where the device can)"));
            int[][] cases = {{64, 128}, {500, 256}, {4000, 256}};
            for (int[] c : cases) {
                System.out.println("backward parity, " + c[0] + " Gaussians " + c[1] + "², C=32: "
                        + Parity.backward(gl, Scenes.random(c[0], 32, 31 + c[0]), Scenes.turnedCamera(c[1], c[1]),
                                c[0]));
            }
        }
    }
}
