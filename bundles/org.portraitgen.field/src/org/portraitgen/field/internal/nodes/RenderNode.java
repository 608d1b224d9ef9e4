package org.portraitgen.field.internal.nodes;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GaussianFieldService.FieldHandle;
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
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/**
 * {@code field.render}: renders a lifted field re-posed by every frame of a tracking (the clip it was lifted from or
 * another one) into a frame store, through the best-ranked {@link GaussianFieldService}.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + RenderNode.TYPE)
public class RenderNode implements NodeProvider {
    static final String TYPE = "field.render";
    static final String VERSION = "0.1.0";

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Render Gaussian field", "Field",
            "Renders the field at each tracked frame's pose and camera, or re-posed by a driving clip's motion.", VERSION,
            List.of(PortSpec.of("field", PortType.FIELD, "a lifted field"),
                    PortSpec.of("tracking", PortType.TRACKING, "the poses and cameras to render"),
                    new PortSpec("driving", PortType.TRACKING, "another clip's tracking (same rig topology) whose"
                            + " motion re-poses the field (reenactment); one frame per driving frame", true)),
            List.of(PortSpec.of("frames", PortType.FRAMES, "the rendered frames")),
            List.of(ParameterSpec.integer("resolution", "long side of the output, pixels (0: the tracking camera's)",
                    256, 0, 4096),
                    ParameterSpec.integer("reference_frame", "with 'driving': the frame of either clip whose rig"
                            + " states are taken to match (the neutral pose)", 0, 0, 10_000_000),
                    ParameterSpec.number("frame_rate", "frames per second of the output store (tracking carries none)",
                            25.0, 0.1, 1000)),
            new ResourceNeeds(2, 2048, 0, false)); // no frame-range parameters yet: one task renders the clip

    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();
    private final AtomicReference<VideoIO> videoIO = new AtomicReference<>();
    private final AtomicReference<GaussianFieldService> fields = new AtomicReference<>();

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

    /** The best-ranked field service (a GPU one when its context opened, else the CPU reference). */
    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setFieldService(GaussianFieldService s) {
        fields.set(s);
    }

    void unsetFieldService(GaussianFieldService s) {
        fields.compareAndSet(s, null);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        Path checkpoint = s.input("field").resolve(FieldNodeSupport.CHECKPOINT);
        if (!Files.isRegularFile(checkpoint)) {
            throw s.invalid("input 'field' holds no " + FieldNodeSupport.CHECKPOINT);
        }
        Rig rig = s.rig(List.copyOf(trackers), s.input("tracking"));
        Rig driving = context.input("driving").isPresent() ? s.rig(List.copyOf(trackers), s.input("driving")) : null;
        int reference = s.integer("reference_frame");
        if (driving != null) {
            if (driving.vertexCount() != rig.vertexCount()) {
                throw s.invalid("input 'driving' has a rig of " + driving.vertexCount() + " vertices, 'tracking' "
                        + rig.vertexCount() + ": reenactment needs the same rig topology (the same tracker)");
            }
            if (reference >= Math.min(rig.frameCount(), driving.frameCount())) {
                throw s.invalid("parameter 'reference_frame' = " + reference + " is past the end of a clip ("
                        + rig.frameCount() + " and " + driving.frameCount() + " frames)");
            }
        }
        int resolution = s.integer("resolution");
        double fps = s.number("frame_rate");
        VideoIO io = videoIO.get();
        GaussianFieldService service = fields.get();
        if (io == null || service == null) {
            throw s.failure("needs " + (io == null ? "a VideoIO service (org.portraitgen.video)"
                    : "a GaussianFieldService") + ", none is installed", null);
        }
        RigState first = rig.state(0);
        int[] size = FieldNodeSupport.size(first.camera().width(), first.camera().height(), resolution);
        FieldHandle handle;
        try {
            handle = service.load(checkpoint);
        } catch (IOException e) {
            throw s.invalid("input 'field': " + e.getMessage());
        }
        if (handle.gaussians() > FieldNodeSupport.maxGaussians()) {
            service.release(handle);
            s.requireGaussianLimit(handle.gaussians(), "input 'field'");
        }
        try (FrameStoreWriter out = io.create(context.output("frames"), size[0], size[1], 3, fps)) {
            int n = driving == null ? rig.frameCount() : driving.frameCount();
            for (int i = 0; i < n; i++) {
                context.checkCancelled();
                RigState posed = driving == null ? rig.state(i) : reposed(rig.state(reference),
                        driving.state(reference), driving.state(i));
                RigState state = FieldNodeSupport.scaled(posed, size[0], size[1]);
                out.append(service.render(handle, state), Math.round(i * 1e6 / fps));
                context.progress((i + 1.0) / n, "rendered frame " + (i + 1) + " of " + n);
            }
            out.finish();
        } finally {
            service.release(handle);
        }
    }

    /**
     * Reenactment: the field's own rig at its reference frame, moved by the driving clip's motion since the driving
     * reference frame (per-vertex offsets in camera space, so head pose and expression both transfer).
     */
    static RigState reposed(RigState own, RigState drivingReference, RigState driving) {
        float[] v = own.vertices().clone();
        float[] a = drivingReference.vertices(), b = driving.vertices();
        for (int i = 0; i < v.length; i++) {
            v[i] += b[i] - a[i];
        }
        return new RigState(driving.frame(), own.camera(), v, driving.expression(), driving.tracked());
    }
}
