package org.portraitgen.field.internal.nodes;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.field.internal.train.LiftInputs;

/**
 * {@code field.export-lift-inputs}: what {@code field.lift} would train on (frames resized to the training size,
 * masks, rig states with scaled cameras, the rig's topology and UVs), read exactly as the Lift node reads it and
 * written to one compact file ({@link LiftInputs}). The lift benchmark ({@code LiftBench}, {@code GlLiftBench})
 * trains from that file on machines without the video and tracking bundles, e.g. the GPU machine.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + ExportLiftInputsNode.TYPE)
public class ExportLiftInputsNode implements NodeProvider {
    static final String TYPE = "field.export-lift-inputs";
    static final String VERSION = "0.1.0";
    static final String FILE = "lift-inputs.bin";
    static final PortType INPUTS_PORT = new PortType("lift-inputs", "a lift's training frames, masks and rig");

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Export lift inputs", "Field",
            "Writes the frames, masks and rig that field.lift would train on (8-bit images, deflated, checksummed)"
                    + " to one file, for the lift benchmark.",
            VERSION,
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames to fit"),
                    new PortSpec("masks", PortType.MASKS, "foreground masks aligned with the frames", true),
                    PortSpec.of("tracking", PortType.TRACKING, "per-frame camera and rig")),
            List.of(PortSpec.of("inputs", INPUTS_PORT, "the lift inputs file")),
            List.of(ParameterSpec.integer("resolution", "long side of the training images, pixels (0: the frames')",
                    256, 0, 4096),
                    ParameterSpec.integer("max_frames", "keep only the first n frames (0: all)", 0, 0,
                            Integer.MAX_VALUE),
                    ParameterSpec.outputFile("output", "the file to write", null)),
            ResourceNeeds.LIGHT);

    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addTracker(Tracker t) {
        trackers.add(t);
    }

    void removeTracker(Tracker t) {
        trackers.remove(t);
    }

    private final AtomicReference<VideoIO> videoIO = new AtomicReference<>();

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
        requireFileName(s);
        VideoIO io = videoIO.get();
        FrameStore frames = s.frames(io, s.input("frames"), "frames");
        FrameStore masks = context.input("masks").isPresent() ? s.frames(io, s.input("masks"), "masks") : null;
        Rig rig = s.rig(List.copyOf(trackers), s.input("tracking"));
        LiftInputs inputs = LiftInputs.of(rig, LiftNode.load(context, s, frames, masks, rig,
                s.integer("resolution")));
        int max = s.integer("max_frames");
        if (max > 0) {
            inputs = inputs.firstFrames(max);
        }
        try {
            inputs.write(context.output("inputs").resolve(FILE));
        } catch (IOException e) {
            throw s.failure("cannot write the lift inputs: " + e.getMessage(), e);
        }
        context.log(inputs.frames().size() + " frames at " + inputs.width() + "x" + inputs.height()
                + (inputs.hasMasks() ? " with masks" : "") + ", rig of " + inputs.vertexCount() + " vertices");
        context.progress(1, "exported " + inputs.frames().size() + " frames");
    }

    @Override
    public void publish(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        s.publishOutput("inputs", FILE, requireFileName(s));
    }

    private static Path requireFileName(FieldNodeSupport s) throws NodeException {
        Path p = s.path("output");
        if (p.getFileName() == null || p.getFileName().toString().isBlank()) {
            throw s.invalid("parameter 'output' must name a file, got '" + p + "'");
        }
        return p;
    }
}
