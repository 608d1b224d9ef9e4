package org.portraitgen.tracking.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeParameters;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.matte.Matting;
import org.portraitgen.tracking.internal.models.MissingModelException;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.overlay.MaskPreview;

/** {@code track.matte}: a soft person mask per frame (MediaPipe selfie segmentation, refined and stabilised). */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + MatteNode.TYPE)
public class MatteNode implements NodeProvider {

    static final String TYPE = "track.matte";
    static final String VERSION = "1.0.0";

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Matte", "Tracking",
            "Soft person masks: MediaPipe selfie segmentation, refined at full resolution by a guided filter on the"
                    + " frame and stabilised over time.",
            VERSION, List.of(PortSpec.of("frames", PortType.FRAMES, "the frames")),
            List.of(PortSpec.of("masks", PortType.MASKS, "one single-channel mask per frame, 1 = person")),
            List.of(ParameterSpec.bool("refine", "guided-filter refinement at full resolution", true),
                    ParameterSpec.number("stabilise", "temporal smoothing on still regions (0: none)", 0.7, 0, 0.95),
                    ParameterSpec.bool("mask_video", "also write preview.mp4 (background dimmed) into the masks",
                            false)),
            // not per-frame: the temporal stabilisation carries each mask into the next frame's
            new ResourceNeeds(2, 1024, 0, false));

    /** Static and mandatory: frame stores are this node's input and output. */
    @Reference
    private VideoIO videoIO;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        NodeParameters p = context.parameters();
        boolean refine = !p.has("refine") || p.bool("refine");
        double stabilise = p.has("stabilise") ? p.number("stabilise") : 0.7;
        FrameStore frames = open(context, "frames");
        FrameStoreInfo info = frames.info();
        if (info.channels() != 3) {
            throw new InvalidInputException(prefix(context) + "input 'frames' has " + info.channels()
                    + "-channel frames; matting needs RGB");
        }
        Path model;
        try {
            model = ModelFiles.fromEnvironment().require(ModelFiles.SELFIE_SEGMENTATION);
        } catch (MissingModelException e) {
            throw new NodeException(prefix(context) + e.getMessage(), e);
        }
        Path out = context.output("masks");
        FrameStore masks;
        try (Matting matting = new Matting(model, refine, stabilise);
                FrameStoreWriter w = videoIO.create(out, info.width(), info.height(), 1, info.frameRate())) {
            for (int i = 0; i < info.frameCount(); i++) {
                context.checkCancelled();
                FloatImage mask = matting.next(frames.read(i));
                w.append(mask, info.timestampsUs().get(i));
                context.progress(0.9 * (i + 1) / info.frameCount(), "matting");
            }
            masks = w.finish();
        }
        if (p.has("mask_video") && p.bool("mask_video")) {
            MaskPreview.write(videoIO, frames, masks, out.resolve("preview.mp4"), context);
        }
        context.progress(1, "matted");
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

    static String prefix(NodeContext context) {
        return "node '" + context.nodeId() + "' (" + TYPE + "): ";
    }

}
