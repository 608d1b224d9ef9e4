package org.portraitgen.edit.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.field.internal.nodes.FieldNodeSupport;

/**
 * {@code edit.side_by_side}: two frame stores next to each other (source | edited), the right one scaled to the left
 * one's height; timing and sound from the left, as many frames as both have.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + SideBySideNode.TYPE)
public class SideBySideNode implements NodeProvider {
    static final String TYPE = "edit.side_by_side";

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Side by side", "Edit",
            "Puts two videos next to each other, e.g. the source and its edit.", "0.1.0",
            List.of(PortSpec.of("left", PortType.FRAMES, "left frames (timing and sound)"),
                    PortSpec.of("right", PortType.FRAMES, "right frames")),
            List.of(PortSpec.of("frames", PortType.FRAMES, "left | right")), List.of(),
            new ResourceNeeds(1, 1024, 0, false));

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
        VideoIO io = videoIO.get();
        if (io == null) {
            throw s.failure("needs a VideoIO service (org.portraitgen.video), none is installed", null);
        }
        FrameStore left = s.frames(io, s.input("left"), "left");
        FrameStore right = s.frames(io, s.input("right"), "right");
        FrameStoreInfo li = left.info(), ri = right.info();
        int h = li.height();
        int rw = Math.max(1, (int) Math.round((double) ri.width() * h / ri.height()));
        int n = Math.min(li.frameCount(), ri.frameCount());
        try (FrameStoreWriter out = io.create(context.output("frames"), li.width() + rw, h, 3, li.frameRate())) {
            out.inheritAudio(left);
            for (int i = 0; i < n; i++) {
                context.checkCancelled();
                out.append(join(left.read(i), FieldNodeSupport.resize(right.read(i), rw, h)), li.timestampsUs().get(i));
                context.progress((i + 1.0) / n, "frame " + (i + 1) + " of " + n);
            }
            out.finish();
        } catch (IOException e) {
            throw s.failure(e.getMessage(), e);
        }
    }

    static FloatImage join(FloatImage a, FloatImage b) {
        int w = a.width() + b.width(), h = a.height();
        FloatImage out = new FloatImage(w, h, 3);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    out.set(c, x, y, x < a.width() ? a.get(Math.min(c, a.channels() - 1), x, y)
                            : b.get(Math.min(c, b.channels() - 1), x - a.width(), y));
                }
            }
        }
        return out;
    }
}
