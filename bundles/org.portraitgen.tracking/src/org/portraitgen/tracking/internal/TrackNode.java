package org.portraitgen.tracking.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;

/**
 * {@code track.track}: frames (and person masks) into a tracking folder (see the tracking file format in
 * {@code TrackingFile}) and an overlay video, through the {@link Tracker} service named by parameter
 * {@code tracker}.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + TrackNode.TYPE)
public class TrackNode implements NodeProvider {

    static final String TYPE = "track.track";
    static final String VERSION = "1.0.0";

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Track", "Tracking",
            "Face landmarks, head pose, camera and a deforming face/hair/shoulder rig per frame, with an overlay"
                    + " video to check them.",
            VERSION,
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames"),
                    new PortSpec("masks", PortType.MASKS, "person masks (from track.matte): the rig covers them",
                            true)),
            List.of(PortSpec.of("tracking", PortType.TRACKING, "tracking.json, rig vertices, overlay.mp4")),
            TrackParameters.SPECS, new ResourceNeeds(2, 1536, 0, false));

    /** Static and mandatory: frame stores are this node's input. */
    @Reference
    private VideoIO videoIO;

    /** Managed by SCR; any number of trackers, each named by its {@value Tracker#ID_PROPERTY}. */
    private final List<Map.Entry<String, Tracker>> trackers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addTracker(Tracker tracker, Map<String, Object> properties) {
        trackers.add(Map.entry(String.valueOf(properties.get(Tracker.ID_PROPERTY)), tracker));
    }

    void removeTracker(Tracker tracker) {
        trackers.removeIf(e -> e.getValue() == tracker);
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        String id = context.parameters().has("tracker") ? context.parameters().string("tracker") : MediaPipeTracker.ID;
        Optional<Tracker> tracker = trackers.stream().filter(e -> e.getKey().equals(id)).map(Map.Entry::getValue)
                .findFirst();
        if (tracker.isEmpty()) {
            throw new NodeException(prefix(context) + "no tracker '" + id + "' is installed (installed: "
                    + trackers.stream().map(Map.Entry::getKey).toList() + ")");
        }
        FrameStore frames = open(context, "frames");
        FrameStore masks = context.input("masks").isPresent() ? open(context, "masks") : null;
        try {
            tracker.get().track(frames, masks, context.output("tracking"), context);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(prefix(context) + e.getMessage(), e);
        }
    }

    private FrameStore open(NodeContext context, String port) throws NodeException {
        Path dir = context.input(port)
                .orElseThrow(() -> new NodeException(prefix(context) + "input '" + port + "' is not connected"));
        try {
            return videoIO.open(dir);
        } catch (IOException e) {
            throw new InvalidInputException(prefix(context) + "input '" + port + "': " + e.getMessage(), e);
        }
    }

    private static String prefix(NodeContext context) {
        return "node '" + context.nodeId() + "' (" + TYPE + "): ";
    }
}
