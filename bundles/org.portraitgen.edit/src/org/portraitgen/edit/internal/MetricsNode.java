package org.portraitgen.edit.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.field.internal.nodes.FieldNodeSupport;

/**
 * {@code edit.metrics}: how well an edited video keeps the source's motion and face. Temporal consistency is the
 * {@link WarpError} of the edit with the source's flow, reported with the source's own warp error and the excess;
 * with both trackings connected, the mean face-point distance to the source and the expression error (the same
 * after a similarity alignment), pixels at the compared resolution. Writes {@code metrics.json} to its output and,
 * atomically, to the {@code report} file when one is named.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + MetricsNode.TYPE)
public class MetricsNode implements NodeProvider {
    static final String TYPE = "edit.metrics";
    static final PortType REPORT = new PortType("report", "figures as JSON (metrics.json)");

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Edit metrics", "Edit",
            "Warp error (temporal consistency) of an edited video against its source's motion, and landmark and"
                    + " expression distances to the source.", "0.1.0",
            List.of(PortSpec.of("source", PortType.FRAMES, "the source frames"),
                    PortSpec.of("edited", PortType.FRAMES, "the edited frames, same timing"),
                    new PortSpec("source_tracking", PortType.TRACKING, "the source's tracking", true),
                    new PortSpec("edited_tracking", PortType.TRACKING, "the edited frames' tracking", true)),
            List.of(PortSpec.of("report", REPORT, "metrics.json")),
            List.of(ParameterSpec.integer("resolution", "long side the videos are compared at", 256, 16, 4096),
                    ParameterSpec.text("label", "name of this edit in the report", "edit"),
                    ParameterSpec.outputFile("report", "also write the figures to this JSON file", "")),
            new ResourceNeeds(2, 2048, 0, false));

    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();
    private final AtomicReference<VideoIO> videoIO = new AtomicReference<>();

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addTracker(Tracker t) {
        trackers.add(t);
    }

    void removeTracker(Tracker t) {
        trackers.remove(t);
    }

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setVideoIO(VideoIO io) {
        videoIO.set(io);
    }

    void unsetVideoIO(VideoIO io) {
        videoIO.compareAndSet(io, null);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        VideoIO io = videoIO.get();
        if (io == null) {
            throw s.failure("needs a VideoIO service (org.portraitgen.video), none is installed", null);
        }
        FrameStore source = s.frames(io, s.input("source"), "source");
        FrameStore edited = s.frames(io, s.input("edited"), "edited");
        int n = Math.min(source.info().frameCount(), edited.info().frameCount());
        if (n < 2) {
            throw s.invalid("needs at least 2 frames in both inputs, got " + source.info().frameCount() + " and "
                    + edited.info().frameCount());
        }
        int[] size = FieldNodeSupport.size(source.info().width(), source.info().height(), s.integer("resolution"));
        double sourceWarp = 0, editWarp = 0;
        try (WarpError warp = new WarpError()) {
            FloatImage s0 = FieldNodeSupport.resize(source.read(0), size[0], size[1]);
            FloatImage e0 = FieldNodeSupport.resize(edited.read(0), size[0], size[1]);
            for (int t = 0; t + 1 < n; t++) {
                context.checkCancelled();
                FloatImage s1 = FieldNodeSupport.resize(source.read(t + 1), size[0], size[1]);
                FloatImage e1 = FieldNodeSupport.resize(edited.read(t + 1), size[0], size[1]);
                WarpError.Motion m = warp.motion(s0, s1);
                sourceWarp += WarpError.error(m, s0, s1);
                editWarp += WarpError.error(m, e0, e1);
                s0 = s1;
                e0 = e1;
                context.progress((t + 1.0) / n, "warp error, frame " + (t + 1));
            }
        }
        sourceWarp /= n - 1;
        editWarp /= n - 1;
        double landmarks = Double.NaN, expression = Double.NaN;
        int compared = 0;
        if (context.input("source_tracking").isPresent() && context.input("edited_tracking").isPresent()) {
            Rig a = s.rig(List.copyOf(trackers), s.input("source_tracking"));
            Rig b = s.rig(List.copyOf(trackers), s.input("edited_tracking"));
            double sumL = 0, sumE = 0;
            for (int i = 0; i < Math.min(n, Math.min(a.frameCount(), b.frameCount())); i++) {
                RigState sa = a.state(i), sb = b.state(i);
                if (!sa.tracked() || !sb.tracked()) {
                    continue;
                }
                double[] la = FaceLandmarks.of(FieldNodeSupport.scaled(sa, size[0], size[1]));
                double[] lb = FaceLandmarks.of(FieldNodeSupport.scaled(sb, size[0], size[1]));
                sumL += FaceLandmarks.meanDistance(lb, la);
                sumE += FaceLandmarks.expressionError(lb, la);
                compared++;
            }
            landmarks = compared == 0 ? Double.NaN : sumL / compared;
            expression = compared == 0 ? Double.NaN : sumE / compared;
        }
        String json = String.format(Locale.ROOT, "{\n  \"label\": \"%s\",\n  \"frames\": %d,\n  \"width\": %d,\n"
                + "  \"height\": %d,\n  \"source_warp_error\": %.4f,\n  \"warp_error\": %.4f,\n"
                + "  \"excess_warp_error\": %.4f,\n  \"landmark_distance_px\": %s,\n  \"expression_error_px\": %s,\n"
                + "  \"landmark_frames\": %d\n}\n", s.text("label").replace("\"", "'"), n, size[0], size[1],
                sourceWarp, editWarp, editWarp - sourceWarp, number(landmarks), number(expression), compared);
        context.log(json.replace('\n', ' '));
        Files.writeString(context.output("report").resolve("metrics.json"), json, StandardCharsets.UTF_8);
        String report = s.text("report").trim();
        if (!report.isEmpty()) {
            Path target = Path.of(report).toAbsolutePath();
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, json, StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.4f", v);
    }
}
