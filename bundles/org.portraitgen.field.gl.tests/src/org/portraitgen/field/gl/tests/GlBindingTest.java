package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.bench.Parity;
import org.portraitgen.field.gl.internal.bind.GaussianLayout;
import org.portraitgen.field.gl.internal.bind.GlBinding;
import org.portraitgen.field.gl.internal.raster.GaussianParams;
import org.portraitgen.field.gl.internal.raster.GlRasterizer;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.raster.Gaussians;

/**
 * The GPU triangle binding (shaders/bind/) against the CPU's TriangleFrames and TriangleBinding (double): frames,
 * world Gaussians and the backward, relative L2 printed and bounded; the backward against central differences of
 * the GPU forward; a degenerate triangle named as the CPU names it.
 *
 * <p>The mesh is random (triangles in every orientation, so every branch of the matrix-to-quaternion conversion
 * runs), 3 units in front of the camera like a rig. Bounds: float32 against double on values of order 1 to 3 is
 * ~1e-7 per value; 1e-5 leaves 10x or more, while a wrong axis, sign or scale is of order 1.
 */
class GlBindingTest {
    private static final int VERTICES = 40;
    private static final int TRIANGLES = 70;
    private static final int GAUSSIANS = 600;
    private static final int CHANNELS = 5;
    private static final double BOUND = 1e-5;

    private record Mesh(TriangleBinding binding, float[] vertices, Gaussians local) {
    }

    private static Mesh mesh(long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[3 * VERTICES];
        for (int i = 0; i < VERTICES; i++) {
            v[3 * i] = (float) (rnd.nextDouble() * 2 - 1);
            v[3 * i + 1] = (float) (rnd.nextDouble() * 2 - 1);
            v[3 * i + 2] = (float) (3 + rnd.nextDouble() - 0.5);
        }
        int[] triangles = new int[3 * TRIANGLES];
        for (int t = 0; t < TRIANGLES; t++) {
            int a = rnd.nextInt(VERTICES);
            int b = (a + 1 + rnd.nextInt(VERTICES - 1)) % VERTICES;
            int c;
            do {
                c = rnd.nextInt(VERTICES);
            } while (c == a || c == b);
            triangles[3 * t] = a;
            triangles[3 * t + 1] = b;
            triangles[3 * t + 2] = c;
        }
        int[] triangleOf = new int[GAUSSIANS];
        double[] bary = new double[3 * GAUSSIANS];
        for (int i = 0; i < GAUSSIANS; i++) {
            triangleOf[i] = rnd.nextInt(TRIANGLES);
            double x = rnd.nextDouble();
            double y = rnd.nextDouble() * (1 - x);
            bary[3 * i] = x;
            bary[3 * i + 1] = y;
            bary[3 * i + 2] = 1 - x - y;
        }
        Gaussians g = new Gaussians(GAUSSIANS, CHANNELS);
        fill(rnd, g.means, 1.5);
        fill(rnd, g.logScales, 1);
        fill(rnd, g.quats, 1);
        fill(rnd, g.opacityLogits, 2);
        fill(rnd, g.features, 1);
        return new Mesh(new TriangleBinding(VERTICES, triangles, triangleOf, bary), v, g);
    }

    private static void fill(Random rnd, double[] a, double range) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (rnd.nextDouble() * 2 - 1) * range;
        }
    }

    private static float[] pick(float[] from, int stride, int start, int width) {
        int n = from.length / stride;
        float[] out = new float[n * width];
        for (int i = 0; i < n; i++) {
            System.arraycopy(from, stride * i + start, out, width * i, width);
        }
        return out;
    }

    @Test
    void framesAndWorldGaussiansMatchTheCpu() {
        Mesh m = mesh(11);
        TriangleFrames cpu = TriangleFrames.of(m.vertices, m.binding.triangles, VERTICES, "test");
        Gaussians world = m.binding.toWorld(m.local, m.vertices, cpu);
        GlContext gl = SharedContext.get();
        Object[] out = gl.call(() -> {
            try (GlBinding b = new GlBinding(gl.shaders(), m.binding); GlRasterizer r = new GlRasterizer(gl);
                    GlBuffer local = new GlBuffer("test local")) {
                local.upload(new GaussianLayout(GAUSSIANS, CHANNELS).flatten(m.local));
                b.pose(m.vertices, "test", local, CHANNELS, r);
                return new Object[] {b.readFrames(), r.readInput(), b.firstProblem()};
            }
        });
        assertNull(out[2]);
        float[] frames = (float[]) out[0];
        GaussianParams gpu = (GaussianParams) out[1];
        int s = GlBinding.FRAME_STRIDE;
        double[] axes = new double[9 * TRIANGLES];
        for (int t = 0; t < TRIANGLES; t++) {
            for (int col = 0; col < 3; col++) {
                for (int row = 0; row < 3; row++) {
                    axes[9 * t + 3 * col + row] = cpu.rotations[9 * t + 3 * row + col];
                }
            }
        }
        double[] errors = {Parity.relativeL2(axes, pick(frames, s, 0, 9)),
            Parity.relativeL2(cpu.quats, pick(frames, s, 9, 4)), Parity.relativeL2(cpu.scales, pick(frames, s, 13, 1)),
            Parity.relativeL2(world.means, gpu.means()), Parity.relativeL2(world.logScales, gpu.logScales()),
            Parity.relativeL2(world.quats, gpu.quats()), Parity.relativeL2(world.opacityLogits, gpu.opacityLogits()),
            Parity.relativeL2(world.features, gpu.features())};
        String[] names = {"axes", "frame quats", "frame scales", "means", "logScales", "quats", "opacityLogits",
            "features"};
        StringBuilder report = new StringBuilder("binding forward parity:");
        for (int i = 0; i < errors.length; i++) {
            report.append(String.format(" %s %.1e", names[i], errors[i]));
        }
        System.out.println(report);
        for (int i = 0; i < errors.length; i++) {
            assertTrue(errors[i] < BOUND, names[i] + " relative error " + errors[i]);
        }
        // the quaternions cover every branch of Shepperd's method: some frame has each diagonal entry largest
        boolean[] branch = new boolean[4];
        for (int t = 0; t < TRIANGLES; t++) {
            double[] r = java.util.Arrays.copyOfRange(cpu.rotations, 9 * t, 9 * t + 9);
            double tr = r[0] + r[4] + r[8];
            branch[tr > 0 ? 0 : r[0] > r[4] && r[0] > r[8] ? 1 : r[4] > r[8] ? 2 : 3] = true;
        }
        assertArrayEquals(new boolean[] {true, true, true, true}, branch, "the mesh exercises every branch");
    }

    /** dL/dworld in the rasterizer backward's buffers: geometry [N, 11] and screen [N, 7 + C]. */
    private static float[][] rasterizerLayout(Gaussians v) {
        int n = v.count;
        int g = GlRasterizer.GEOMETRY_STRIDE;
        int s = GlRasterizer.screenStride(v.channels);
        float[] geometry = new float[g * n];
        float[] screen = new float[s * n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < 3; k++) {
                geometry[g * i + k] = (float) v.means[3 * i + k];
                geometry[g * i + 3 + k] = (float) v.logScales[3 * i + k];
            }
            for (int k = 0; k < 4; k++) {
                geometry[g * i + 6 + k] = (float) v.quats[4 * i + k];
            }
            geometry[g * i + 10] = (float) v.opacityLogits[i];
            for (int c = 0; c < v.channels; c++) {
                screen[s * i + GlRasterizer.SCREEN_FEATURE_OFFSET + c] = (float) v.features[v.channels * i + c];
                screen[s * i + c % GlRasterizer.SCREEN_FEATURE_OFFSET] = 1e6f; // the head is not the binding's
            }
        }
        return new float[][] {geometry, screen};
    }

    /** The GPU backward of {@code vWorld}, added to {@code start} (GaussianLayout), read back. */
    private static float[] gpuBackward(Mesh m, Gaussians vWorld, float[] start) {
        float[][] packed = rasterizerLayout(vWorld);
        GlContext gl = SharedContext.get();
        return gl.call(() -> {
            try (GlBinding b = new GlBinding(gl.shaders(), m.binding); GlBuffer geometry = new GlBuffer("test vGeo");
                    GlBuffer screen = new GlBuffer("test vScreen"); GlBuffer grads = new GlBuffer("test grads")) {
                geometry.upload(packed[0]);
                screen.upload(packed[1]);
                grads.upload(start);
                b.frames(m.vertices, "test");
                b.backward(geometry, screen, CHANNELS, grads);
                return grads.readFloats(start.length);
            }
        });
    }

    @Test
    void backwardMatchesTheCpuAndAddsToTheGradients() {
        Mesh m = mesh(12);
        Random rnd = new Random(5);
        Gaussians vWorld = new Gaussians(GAUSSIANS, CHANNELS);
        Gaussians vLocal = new Gaussians(GAUSSIANS, CHANNELS);
        for (Gaussians g : new Gaussians[] {vWorld, vLocal}) {
            fill(rnd, g.means, 1);
            fill(rnd, g.logScales, 1);
            fill(rnd, g.quats, 1);
            fill(rnd, g.opacityLogits, 1);
            fill(rnd, g.features, 1);
        }
        GaussianLayout layout = new GaussianLayout(GAUSSIANS, CHANNELS);
        float[] start = layout.flatten(vLocal); // the sum of earlier frames: the backward adds to it
        float[] gpu = gpuBackward(m, vWorld, start);
        m.binding.backward(vWorld, TriangleFrames.of(m.vertices, m.binding.triangles, VERTICES, "test"), vLocal);
        Gaussians got = new Gaussians(GAUSSIANS, CHANNELS);
        layout.unflatten(gpu, got);
        double[][] cpuGroups = {vLocal.means, vLocal.logScales, vLocal.quats, vLocal.opacityLogits, vLocal.features};
        double[][] gpuGroups = {got.means, got.logScales, got.quats, got.opacityLogits, got.features};
        String[] names = {"v_offsets", "v_logScales", "v_quats", "v_opacityLogits", "v_features"};
        StringBuilder report = new StringBuilder("binding backward parity:");
        for (int i = 0; i < names.length; i++) {
            float[] f = new float[gpuGroups[i].length];
            for (int k = 0; k < f.length; k++) {
                f[k] = (float) gpuGroups[i][k];
            }
            double e = Parity.relativeL2(cpuGroups[i], f);
            report.append(String.format(" %s %.1e", names[i], e));
            assertTrue(e < BOUND, names[i] + " relative error " + e);
        }
        System.out.println(report);
    }

    /** L = Σ w · world(local) over every world parameter, in double from the GPU forward's float outputs. */
    private static double weightedWorld(GaussianParams world, Gaussians w) {
        double sum = 0;
        float[][] got = {world.means(), world.logScales(), world.quats(), world.opacityLogits(), world.features()};
        double[][] weights = {w.means, w.logScales, w.quats, w.opacityLogits, w.features};
        for (int g = 0; g < got.length; g++) {
            for (int i = 0; i < got[g].length; i++) {
                sum += weights[g][i] * got[g][i];
            }
        }
        return sum;
    }

    /**
     * The GPU backward against central differences of the GPU forward along random directions. The binding is
     * affine in the local parameters (offsets, log-scales and quaternions enter linearly), so the difference
     * quotient is exact up to float rounding of the outputs: a step of 0.05 keeps that rounding (~1e-7 of L's
     * terms) small against the derivative, and 1e-4 is still 10^3 below a wrong or missing term.
     */
    @Test
    void backwardMatchesFiniteDifferencesOfTheGpuForward() {
        Mesh m = mesh(13);
        Random rnd = new Random(8);
        Gaussians w = new Gaussians(GAUSSIANS, CHANNELS);
        fill(rnd, w.means, 1);
        fill(rnd, w.logScales, 1);
        fill(rnd, w.quats, 1);
        fill(rnd, w.opacityLogits, 1);
        fill(rnd, w.features, 1);
        GaussianLayout layout = new GaussianLayout(GAUSSIANS, CHANNELS);
        float[] grad = gpuBackward(m, w, new float[layout.floats()]);
        float[] base = layout.flatten(m.local);
        double h = 0.05;
        GlContext gl = SharedContext.get();
        for (int dir = 0; dir < 3; dir++) {
            int from = dir == 1 ? layout.offset(2) : 0;
            int to = dir == 1 ? layout.offset(3) : base.length; // all, the quaternions only, all again
            float[][] p = {base.clone(), base.clone()};
            for (int i = from; i < to; i++) {
                double d = rnd.nextDouble() * 2 - 1;
                p[0][i] += (float) (h * d);
                p[1][i] -= (float) (h * d);
            }
            // along the step the float parameters actually took
            double analytic = 0;
            for (int i = from; i < to; i++) {
                analytic += grad[i] * ((double) p[0][i] - p[1][i]) / (2 * h);
            }
            double[] l = new double[2];
            for (int side = 0; side < 2; side++) {
                float[] params = p[side];
                GaussianParams world = gl.call(() -> {
                    try (GlBinding b = new GlBinding(gl.shaders(), m.binding); GlRasterizer r = new GlRasterizer(gl);
                            GlBuffer local = new GlBuffer("test local")) {
                        local.upload(params);
                        b.pose(m.vertices, "test", local, CHANNELS, r);
                        return r.readInput();
                    }
                });
                l[side] = weightedWorld(world, w);
            }
            double numeric = (l[0] - l[1]) / (2 * h);
            double e = Math.abs(numeric - analytic) / Math.abs(analytic);
            System.out.printf("binding backward vs central differences, direction %d: analytic %.6f numeric %.6f"
                    + " relative %.1e%n", dir, analytic, numeric, e);
            assertTrue(e < 1e-4, "direction " + dir + ": relative error " + e);
        }
    }

    @Test
    void aDegenerateTriangleIsNamedAsTheCpuNamesIt() {
        Mesh m = mesh(14);
        float[] bad = m.vertices.clone();
        int t = 17;
        int a = m.binding.triangles[3 * t];
        int c = m.binding.triangles[3 * t + 2];
        System.arraycopy(bad, 3 * a, bad, 3 * c, 3); // two corners coincide: zero area
        IllegalArgumentException cpu = assertThrows(IllegalArgumentException.class,
                () -> TriangleFrames.of(bad, m.binding.triangles, VERTICES, "frame 9"));
        GlContext gl = SharedContext.get();
        String[] problems = gl.call(() -> {
            try (GlBinding b = new GlBinding(gl.shaders(), m.binding)) {
                b.frames(m.vertices, "frame 8");
                String none = b.firstProblem();
                b.frames(bad, "frame 9"); // the second frame of a batch: named by its own label
                String second = b.firstProblem();
                b.resetStatus();
                return new String[] {none, second, b.firstProblem()};
            }
        });
        assertNull(problems[0]);
        assertEquals(cpu.getMessage(), problems[1]);
        assertNull(problems[2], "reset forgets it");
        IllegalArgumentException wrongCount = assertThrows(IllegalArgumentException.class,
                () -> GlBinding.requireVertices(m.binding, new float[9], "frame 3"));
        IllegalArgumentException cpuCount = assertThrows(IllegalArgumentException.class,
                () -> TriangleFrames.of(new float[9], m.binding.triangles, VERTICES, "frame 3"));
        assertEquals(cpuCount.getMessage(), wrongCount.getMessage());
    }
}
