package org.portraitgen.field.internal.nodes;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
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
import org.portraitgen.field.internal.PlyExport;
import org.portraitgen.field.internal.bind.TriangleFrames;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;

/**
 * {@code field.export-ply}: the field posed at one tracked frame, in the standard 3DGS .ply layout. The file is the
 * {@code ply} port's value in the cache; {@link #publish} copies it atomically to the {@code output} path.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + ExportPlyNode.TYPE)
public class ExportPlyNode implements NodeProvider {
    static final String TYPE = "field.export-ply";
    static final String VERSION = "0.1.0";
    static final String PLY = "field.ply";
    /** A 3DGS point cloud file; defined here, as bundles may define port types. */
    static final PortType PLY_PORT = new PortType("ply", "3D Gaussian splatting .ply file");

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Export .ply", "Field",
            "Writes the field posed at one frame as a 3DGS .ply (positions, scales, rotations, opacity, SH DC from"
                    + " feature channels 0-2).",
            VERSION,
            List.of(PortSpec.of("field", PortType.FIELD, "a lifted field"),
                    PortSpec.of("tracking", PortType.TRACKING, "poses; the chosen frame's is used")),
            List.of(PortSpec.of("ply", PLY_PORT, "the .ply file")),
            List.of(ParameterSpec.integer("frame", "the frame whose pose to export", 0, 0, Integer.MAX_VALUE),
                    ParameterSpec.outputFile("output", "the .ply file to write", null)),
            ResourceNeeds.LIGHT);

    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addTracker(Tracker t) {
        trackers.add(t);
    }

    void removeTracker(Tracker t) {
        trackers.remove(t);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        requirePlyName(s);
        Path checkpoint = s.input("field").resolve(FieldNodeSupport.CHECKPOINT);
        if (!Files.isRegularFile(checkpoint)) {
            throw s.invalid("input 'field' holds no " + FieldNodeSupport.CHECKPOINT);
        }
        Rig rig = s.rig(List.copyOf(trackers), s.input("tracking"));
        int frame = s.integer("frame");
        if (frame >= rig.frameCount()) {
            throw s.invalid("parameter 'frame' = " + frame + " but the tracking has " + rig.frameCount() + " frames");
        }
        GaussianField field;
        try {
            field = Checkpoints.read(checkpoint).field();
        } catch (IOException e) {
            throw s.invalid("input 'field': " + e.getMessage());
        }
        s.requireGaussianLimit(field.local.count, "input 'field'");
        if (field.binding.vertexCount != rig.vertexCount()) {
            throw s.invalid("the field is bound to a rig of " + field.binding.vertexCount + " vertices, the tracking's"
                    + " has " + rig.vertexCount());
        }
        RigState state = rig.state(frame);
        TriangleFrames frames = TriangleFrames.of(state.vertices(), field.binding.triangles,
                field.binding.vertexCount, "frame " + frame);
        PlyExport.write(field.binding.toWorld(field.local, state.vertices(), frames),
                context.output("ply").resolve(PLY));
        context.progress(1, "exported frame " + frame);
    }

    @Override
    public void publish(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        s.publishOutput("ply", PLY, requirePlyName(s));
    }

    private static Path requirePlyName(FieldNodeSupport s) throws org.portraitgen.api.node.NodeException {
        Path p = s.path("output");
        if (p.getFileName() == null || !p.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".ply")) {
            throw s.invalid("parameter 'output' must name a .ply file, got '" + p + "'");
        }
        return p;
    }
}
