package org.portraitgen.edit.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/**
 * Expression guidance through the tracker: the edited key frames are tracked like a clip, and where a frame's face
 * points (the tracker's expression space: landmarks with pose and size divided out) moved away from the source
 * frame's, {@link ExpressionWarp} pulls them back by {@code weight}. Frames where the tracker finds no face are left
 * as edited, and a round whose edits the tracker cannot follow at all is logged, not failed: guidance is a
 * correction, not a requirement.
 */
public final class ExpressionGuidance implements EditLoop.Guidance {
    private final Tracker tracker;
    private final VideoIO io;
    private final Path scratch;
    private final double weight;
    private final NodeContext context;
    /** Mean expression error (pixels) of the last round before and after the correction. */
    private volatile double before = Double.NaN;
    private volatile double after = Double.NaN;

    public ExpressionGuidance(Tracker tracker, VideoIO io, Path scratch, double weight, NodeContext context) {
        this.tracker = tracker;
        this.io = io;
        this.scratch = scratch;
        this.weight = weight;
        this.context = context;
    }

    public double lastErrorBefore() {
        return before;
    }

    public double lastErrorAfter() {
        return after;
    }

    @Override
    public List<FloatImage> apply(List<Integer> frames, List<RigState> states, List<FloatImage> edited)
            throws Exception {
        List<double[]> found = landmarks(edited);
        if (found == null) {
            return edited;
        }
        List<FloatImage> out = new ArrayList<>();
        double sumBefore = 0;
        int counted = 0;
        for (int i = 0; i < edited.size(); i++) {
            double[] target = FaceLandmarks.of(states.get(i));
            if (found.get(i) == null) {
                out.add(edited.get(i));
                continue;
            }
            sumBefore += FaceLandmarks.expressionError(found.get(i), target);
            counted++;
            double sigma = 0.08 * HeadCrop.around(target, 1).side();
            out.add(ExpressionWarp.pullTowards(edited.get(i), found.get(i), target, weight, sigma));
        }
        before = counted == 0 ? Double.NaN : sumBefore / counted;
        // what the correction achieved, measured the same way (the tracker on the corrected images)
        List<double[]> again = landmarks(out);
        double sumAfter = 0;
        int n = 0;
        for (int i = 0; again != null && i < out.size(); i++) {
            if (again.get(i) != null) {
                sumAfter += FaceLandmarks.expressionError(again.get(i), FaceLandmarks.of(states.get(i)));
                n++;
            }
        }
        after = n == 0 ? Double.NaN : sumAfter / n;
        context.log(String.format("expression guidance: key frames' expression error %.2f px before, %.2f px after",
                before, after));
        return out;
    }

    /** Face points the tracker finds on each image (null where it found none), or null when it failed. */
    private List<double[]> landmarks(List<FloatImage> images) throws IOException {
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "guidance");
        try {
            FloatImage first = images.get(0);
            try (FrameStoreWriter w = io.create(dir.resolve("frames"), first.width(), first.height(), 3, 25.0)) {
                for (int i = 0; i < images.size(); i++) {
                    w.append(images.get(i), i * 40_000L);
                }
                w.finish();
            }
            Path tracking = Files.createDirectories(dir.resolve("tracking"));
            try {
                tracker.track(io.open(dir.resolve("frames")), null, tracking, new QuietContext(context, dir));
            } catch (Exception e) {
                context.log("expression guidance skipped this round: the tracker could not follow the edited key"
                        + " frames (" + e.getMessage() + ")");
                return null;
            }
            Rig rig = tracker.load(tracking);
            List<double[]> out = new ArrayList<>();
            for (int i = 0; i < rig.frameCount(); i++) {
                RigState s = rig.state(i);
                out.add(s.tracked() ? FaceLandmarks.of(s) : null);
            }
            return out;
        } finally {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /**
     * The tracker's view of this side job: no overlay video, the largest face, almost no temporal smoothing (key
     * frames are several frames apart); cancellation and log lines go to the edit node.
     */
    private record QuietContext(NodeContext node, Path dir) implements NodeContext {
        @Override
        public String runId() {
            return node.runId();
        }

        @Override
        public String nodeId() {
            return node.nodeId() + "/expression-guidance";
        }

        @Override
        public NodeParameters parameters() {
            return new NodeParameters(Map.of("overlay_video", false, "face", "largest", "smoothing_hz", 30.0));
        }

        @Override
        public Optional<Path> input(String port) {
            return Optional.empty();
        }

        @Override
        public Path output(String port) {
            return dir.resolve("out-" + port);
        }

        @Override
        public Path checkpoints() {
            return dir.resolve("checkpoints");
        }

        @Override
        public void progress(double fraction, String message) {
        }

        @Override
        public void metric(String name, long step, double value) {
        }

        @Override
        public void log(String line) {
            Consumer<String> sink = node::log;
            sink.accept("tracker: " + line);
        }

        @Override
        public boolean isCancelled() {
            return node.isCancelled();
        }
    }
}
