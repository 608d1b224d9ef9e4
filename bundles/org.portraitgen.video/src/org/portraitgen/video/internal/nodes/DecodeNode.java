package org.portraitgen.video.internal.nodes;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

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
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.VideoIO;

/** {@code video.decode}: a video file into a frame store, with trimming, frame step, crop and resize. */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + DecodeNode.TYPE)
public class DecodeNode implements NodeProvider {

    static final String TYPE = "video.decode";

    /** Bump when the frames produced for the same file and parameters change: it is part of every cache key. */
    static final String VERSION = "1.0.0";

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Decode video", "Video",
            "Decodes a video file into frames (lossless PNG) with timing, keeping its sound for the encoder.",
            VERSION, List.of(),
            List.of(PortSpec.of("frames", PortType.FRAMES, "the decoded frames")),
            List.of(ParameterSpec.inputFile("file", "the video to decode (MP4, MOV, MKV, ...)", null),
                    ParameterSpec.integer("start", "first frame to keep (0-based)", 0, 0, Integer.MAX_VALUE),
                    ParameterSpec.integer("max_frames", "keep at most this many frames (0: all)", 0, 0,
                            Integer.MAX_VALUE),
                    ParameterSpec.integer("step", "keep every n-th frame", 1, 1, 1000),
                    ParameterSpec.integer("width", "output width (0: keep; with height 0 the aspect is kept)", 0, 0,
                            16384),
                    ParameterSpec.integer("height", "output height (0: from the width and aspect ratio)", 0, 0,
                            16384),
                    ParameterSpec.choice("crop", "crop before resizing", "none", List.of("none", "center-square")),
                    ParameterSpec.bool("keep_audio", "keep the sound track for encoding", true)),
            new ResourceNeeds(2, 1024, 0, false));

    /** Static and mandatory: VideoIO lives in this bundle, so it cannot go away while this node is registered. */
    @Reference
    private VideoIO videoIO;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws NodeException {
        Params p = new Params(context, DESCRIPTOR);
        Path file = p.path("file");
        DecodeOptions options;
        try {
            options = new DecodeOptions(p.integer("start"), p.integer("max_frames"), p.integer("step"),
                    p.integer("width"), p.integer("height"), p.string("crop"), p.bool("keep_audio"));
        } catch (IllegalArgumentException e) {
            throw NodeSupport.failure(context, TYPE, "parameters: " + e.getMessage(), e);
        }
        try {
            videoIO.decode(file, context.output("frames"), options, NodeSupport.progress(context, "decoding"));
        } catch (IOException e) {
            throw NodeSupport.failure(context, TYPE, "parameter 'file': " + e.getMessage(), e);
        }
    }
}
