package org.portraitgen.workbench.tests;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.PaletteData;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;

/** Node types the tests register as services: small, fast, and covering every parameter kind the UI edits. */
final class TestNodes {
    private TestNodes() {
    }

    /** Writes {@code count} gradient frames (a frame store) and reports loss/PSNR metrics. */
    static final class Frames implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.frames", "Test frames", "Test sources", "Writes gradient frames.", "1",
                    List.of(), List.of(PortSpec.of("frames", PortType.FRAMES, "gradient frames")),
                    List.of(ParameterSpec.integer("count", "frames to write", 6, 1, 100),
                            new ParameterSpec("tint", org.portraitgen.api.node.ParameterKind.COLOR, "frame tint",
                                    "#3080ff", null, null, null),
                            ParameterSpec.choice("pattern", "what to draw", "gradient", List.of("gradient", "solid")),
                            new ParameterSpec("prompt", org.portraitgen.api.node.ParameterKind.PROMPT,
                                    "a note", "a portrait", null, null, null),
                            ParameterSpec.number("delay", "seconds per frame", 0.0, 0, 5)),
                    null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            int count = ctx.parameters().integer("count");
            int rgb = Integer.parseInt(ctx.parameters().string("tint").substring(1), 16);
            boolean gradient = "gradient".equals(ctx.parameters().string("pattern"));
            long delayMs = Math.round(ctx.parameters().number("delay") * 1000);
            Path out = ctx.output("frames");
            for (int i = 0; i < count; i++) {
                ctx.checkCancelled();
                writeFrame(out.resolve(String.format("%06d.png", i)), rgb, gradient, i, count);
                ctx.metric("loss", i, 1.0 / (i + 1));
                ctx.metric("psnr", i, 20 + 2 * Math.log(i + 1));
                ctx.progress((i + 1.0) / count, "frame " + (i + 1));
                if (delayMs > 0) {
                    Thread.sleep(delayMs); // stands in for real work, so a run can be watched and cancelled
                }
            }
            StringBuilder ts = new StringBuilder();
            for (int i = 0; i < count; i++) {
                ts.append(i == 0 ? "" : ",").append(i * 40000L);
            }
            Files.writeString(out.resolve("frames.json"), "{\"formatVersion\": 1, \"width\": 160, \"height\": 120, "
                    + "\"channels\": 3, \"frameRate\": 25.0, \"frameCount\": " + count + ", \"timestampsUs\": ["
                    + ts + "], \"source\": \"test\"}");
        }

        private static void writeFrame(Path file, int rgb, boolean gradient, int index, int count) {
            ImageData data = new ImageData(160, 120, 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
            for (int y = 0; y < data.height; y++) {
                for (int x = 0; x < data.width; x++) {
                    double t = gradient ? (x + index * 160.0 / count) % 160 / 160.0 : 1;
                    int r = (int) ((rgb >> 16 & 255) * t);
                    int g = (int) ((rgb >> 8 & 255) * (gradient ? y / 120.0 : 1));
                    int b = (int) ((rgb & 255) * (1 - t / 2));
                    data.setPixel(x, y, r << 16 | g << 8 | b);
                }
            }
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {data};
            loader.save(file.toString(), SWT.IMAGE_PNG);
        }
    }

    /** Passes frames through (a stand-in for a colour grade). */
    static final class Grade implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.grade", "Test grade", "Test filters", "Copies its frames.", "1",
                    List.of(PortSpec.of("frames", PortType.FRAMES, "frames in")),
                    List.of(PortSpec.of("graded", PortType.FRAMES, "frames out")),
                    List.of(ParameterSpec.number("gain", "brightness gain", 1.0, 0, 4),
                            ParameterSpec.bool("clip", "clip to white", true),
                            ParameterSpec.outputFile("report", "where to write a report", "report.txt")),
                    null);
        }

        @Override
        public void execute(NodeContext ctx) throws Exception {
            Path in = ctx.input("frames").orElseThrow();
            Path out = ctx.output("graded");
            try (var files = Files.list(in)) {
                for (Path f : files.toList()) {
                    ctx.checkCancelled();
                    Files.copy(f, out.resolve(f.getFileName()));
                }
            }
            ctx.progress(1, "graded");
        }
    }

    /** Takes masks only, so that connecting frames to it is refused. */
    static final class MaskSink implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.masksink", "Test mask sink", "Test filters", "Takes masks.", "1",
                    List.of(PortSpec.of("masks", PortType.MASKS, "masks in")), List.of(), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) {
            ctx.progress(1, "done");
        }
    }

    /** A late arrival, registered mid-test to watch the palette update. */
    static final class Late implements NodeProvider {
        @Override
        public NodeDescriptor descriptor() {
            return new NodeDescriptor("test.late", "Late arrival", "Test late", "Registered during a test.", "1",
                    List.of(), List.of(), List.of(), null);
        }

        @Override
        public void execute(NodeContext ctx) {
            ctx.progress(1, "done");
        }
    }
}
