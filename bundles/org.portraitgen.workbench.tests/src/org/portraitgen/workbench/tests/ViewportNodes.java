package org.portraitgen.workbench.tests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.field.internal.bind.UvSampler;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * Node types and a tracker for the viewport tests: a matte and an invert over frame stores, and a tiny lift whose
 * field (real, written by the field bundle's checkpoint code) is posed by a flat grid "face" the tracker reads.
 */
final class ViewportNodes {
    private ViewportNodes() {
    }

    /** Writes a disc mask per frame (white inside a centred circle). */
    static final class Matte implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.matte", "Test matte", "Test filters", "Masks a centred disc.", "1",
                    List.of(PortSpec.of("frames", PortType.FRAMES, "frames in")),
                    List.of(PortSpec.of("masks", PortType.MASKS, "disc masks")), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            eachFrame(ctx, "frames", "masks", (d, x, y) -> {
                double dx = x - d.width / 2.0;
                double dy = y - d.height / 2.0;
                return dx * dx + dy * dy < (d.height / 4.0) * (d.height / 4.0) ? new RGB(255, 255, 255)
                        : new RGB(0, 0, 0);
            });
        }
    }

    /** Inverts each frame, so that before and after differ everywhere. */
    static final class Invert implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.invert", "Test invert", "Test filters", "Inverts colours.", "1",
                    List.of(PortSpec.of("frames", PortType.FRAMES, "frames in")),
                    List.of(PortSpec.of("inverted", PortType.FRAMES, "inverted frames")), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            eachFrame(ctx, "frames", "inverted", (d, x, y) -> {
                RGB c = d.palette.getRGB(d.getPixel(x, y));
                return new RGB(255 - c.red, 255 - c.green, 255 - c.blue);
            });
        }
    }

    interface PixelRule {
        RGB at(ImageData in, int x, int y);
    }

    private static void eachFrame(NodeContext ctx, String in, String out, PixelRule rule) throws IOException {
        Path from = ctx.input(in).orElseThrow();
        Path to = ctx.output(out);
        try (var files = Files.list(from)) {
            for (Path f : files.sorted().toList()) {
                if (!f.getFileName().toString().endsWith(".png")) {
                    Files.copy(f, to.resolve(f.getFileName())); // frames.json
                    continue;
                }
                ImageData d = new ImageData(f.toString());
                ImageData o = new ImageData(d.width, d.height, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
                for (int y = 0; y < d.height; y++) {
                    for (int x = 0; x < d.width; x++) {
                        RGB c = rule.at(d, x, y);
                        o.setPixel(x, y, c.red << 16 | c.green << 8 | c.blue);
                    }
                }
                ImageLoader loader = new ImageLoader();
                loader.data = new ImageData[] {o};
                loader.save(to.resolve(f.getFileName()).toString(), SWT.IMAGE_PNG);
            }
        }
        ctx.progress(1, "done");
    }

    /** Writes a tracking folder the {@link GridTracker} reads. */
    static final class Tracking implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.tracking", "Test tracking", "Test sources", "A flat grid face.", "1",
                    List.of(), List.of(PortSpec.of("tracking", PortType.TRACKING, "grid rig")), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            Files.writeString(ctx.output("tracking").resolve(GridTracker.FILE), "frames=" + GridRig.FRAMES + "\n");
            ctx.progress(1, "done");
        }
    }

    /** Lifts a fresh field on the grid rig with a feature pattern, so that its render is not flat. */
    static final class Lift implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.lift", "Test lift", "Test field", "A small patterned field.", "1",
                    List.of(PortSpec.of("tracking", PortType.TRACKING, "poses")),
                    List.of(PortSpec.of("field", PortType.FIELD, "the field")), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            GridRig rig = new GridRig();
            GaussianField field = GaussianField.initialise(UvSampler.sample(rig.vertexCount(), rig.triangles(),
                    rig.uvs(), 24), rig.state(0).vertices(), 4, 7);
            var g = field.local;
            for (int i = 0; i < g.count; i++) { // stripes across the face in feature channel 0, a ramp in 1
                g.features[i * g.channels] = (i / 24) % 2 == 0 ? 12 : -12;
                g.features[i * g.channels + 1] = 16.0 * i / g.count - 8;
            }
            Checkpoints.write(ctx.output("field").resolve("field.ckpt"), field, null);
            ctx.progress(1, "done");
        }
    }

    /** Reads the test tracking folders. */
    static final class GridTracker implements Tracker {
        static final String FILE = "grid-rig.txt";

        @Override
        public String id() {
            return "test.grid";
        }

        @Override
        public String label() {
            return "Test grid tracker";
        }

        @Override
        public void track(FrameStore frames, FrameStore masks, Path outputDir, NodeContext context) {
            throw new UnsupportedOperationException("the test tracker only reads");
        }

        @Override
        public Rig load(Path trackingDir) throws IOException {
            if (!Files.isRegularFile(trackingDir.resolve(FILE))) {
                throw new IOException(trackingDir + " has no " + FILE);
            }
            return new GridRig();
        }
    }

    /** A square grid of 8x8 quads facing the camera at depth 2, sliding right by a little each frame. */
    static final class GridRig implements Rig {
        static final int FRAMES = 4;
        static final int N = 9; // vertices per side

        @Override
        public int vertexCount() {
            return N * N;
        }

        @Override
        public int[] triangles() {
            int[] t = new int[6 * (N - 1) * (N - 1)];
            int k = 0;
            for (int y = 0; y < N - 1; y++) {
                for (int x = 0; x < N - 1; x++) {
                    int a = y * N + x;
                    int[] quad = {a, a + 1, a + N, a + 1, a + N + 1, a + N};
                    System.arraycopy(quad, 0, t, k, 6);
                    k += 6;
                }
            }
            return t;
        }

        @Override
        public float[] uvs() {
            float[] uv = new float[2 * N * N];
            for (int i = 0; i < N * N; i++) {
                uv[2 * i] = (i % N) / (N - 1f);
                uv[2 * i + 1] = (i / N) / (N - 1f);
            }
            return uv;
        }

        @Override
        public int frameCount() {
            return FRAMES;
        }

        @Override
        public RigState state(int frame) {
            float[] v = new float[3 * N * N];
            for (int i = 0; i < N * N; i++) {
                v[3 * i] = (i % N) / (N - 1f) - 0.5f + 0.04f * frame;
                v[3 * i + 1] = (i / N) / (N - 1f) - 0.5f;
                v[3 * i + 2] = 2;
            }
            Camera cam = new Camera(96, 96, 120, 120, 47.5, 47.5, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1},
                    new double[3]);
            return new RigState(frame, cam, v, new float[0], true);
        }
    }
}
