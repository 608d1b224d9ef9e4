package org.portraitgen.video.internal.nodes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

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
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.video.internal.AtomicFiles;

/**
 * {@code video.encode}: frames to an H.264 MP4 (with the frames' sound) or a PNG sequence. The encoded result is the
 * {@code video} port's value in the cache ({@value #MP4_NAME} or the folder {@value #PNG_DIR}); {@link #publish}
 * copies it to the {@code output} path, so a run answered from the cache still delivers the file.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + EncodeNode.TYPE)
public class EncodeNode implements NodeProvider {

    static final String TYPE = "video.encode";
    /** Bump when the encoded output for the same frames and parameters changes: it is part of every cache key. */
    static final String VERSION = "1.0.0";
    static final String MP4_NAME = "video.mp4";
    static final String PNG_DIR = "frames";

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Encode video", "Video",
            "Encodes frames to an H.264 MP4 (yuv420p; odd sizes are padded by one pixel) or a PNG sequence.",
            VERSION, List.of(PortSpec.of("frames", PortType.FRAMES, "the frames to encode")),
            List.of(PortSpec.of("video", PortType.VIDEO, "the encoded video")),
            List.of(ParameterSpec.outputFile("output", "the .mp4 file, or the folder for a PNG sequence", null),
                    ParameterSpec.choice("format", "mp4 or a png sequence", "mp4", List.of("mp4", "png")),
                    ParameterSpec.integer("crf", "quality for encoders with CRF (lower is better)", 18, 0, 51),
                    ParameterSpec.integer("bitrate_kbps", "bitrate for encoders without CRF (libopenh264)", 8000,
                            100, 200_000),
                    ParameterSpec.bool("keep_audio", "put the frames' sound track into the MP4", true)),
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
        boolean mp4 = isMp4(context, p);
        FrameStore frames = NodeSupport.inputFrames(context, TYPE, videoIO, "frames");
        Path out = context.output("video");
        try {
            if (mp4) {
                EncodeOptions options = new EncodeOptions(p.integer("crf"), p.integer("bitrate_kbps"),
                        p.bool("keep_audio"));
                videoIO.encodeMp4(frames, out.resolve(MP4_NAME), options, NodeSupport.progress(context, "encoding"));
            } else {
                videoIO.encodePngSequence(frames, out.resolve(PNG_DIR), NodeSupport.progress(context, "writing"));
            }
        } catch (IOException e) {
            throw NodeSupport.failure(context, TYPE, e.getMessage(), e);
        }
    }

    @Override
    public void publish(NodeContext context) throws NodeException {
        Params p = new Params(context, DESCRIPTOR);
        boolean mp4 = isMp4(context, p);
        Path target = p.path("output").toAbsolutePath().normalize();
        Path cached = context.output("video").resolve(mp4 ? MP4_NAME : PNG_DIR);
        try {
            if (mp4) {
                if (Files.isDirectory(target)) {
                    throw p.bad("output", target + " is a folder; name the .mp4 file to write");
                }
                AtomicFiles.copyFile(cached, target);
            } else {
                requireReplaceableSequence(p, target);
                AtomicFiles.copyFlatDirectory(cached, target);
            }
        } catch (IOException e) {
            throw NodeSupport.failure(context, TYPE, "parameter 'output': cannot write " + target + ": "
                    + e.getMessage(), e);
        }
    }

    /** Checks that {@code output} fits {@code format} before any work is done. */
    private static boolean isMp4(NodeContext context, Params p) throws NodeException {
        boolean mp4 = p.string("format").equals("mp4");
        String name = p.path("output").getFileName() == null ? "" : p.path("output").getFileName().toString();
        boolean mp4Name = name.toLowerCase(java.util.Locale.ROOT).endsWith(".mp4");
        if (mp4 && !mp4Name) {
            throw p.bad("output", "format mp4 writes a file ending in .mp4, got '" + p.string("output") + "'");
        }
        if (!mp4 && mp4Name) {
            throw p.bad("output", "format png writes a folder of PNG files, not '" + name + "'");
        }
        return mp4;
    }

    /**
     * A PNG sequence replaces an earlier sequence at the same path, but never a folder holding anything else: a
     * mistyped output path must not delete someone's files.
     */
    private static void requireReplaceableSequence(Params p, Path target) throws NodeException, IOException {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw p.bad("output", target + " exists and is a file, not a folder for the PNG sequence");
        }
        try (Stream<Path> files = Files.list(target)) {
            if (files.anyMatch(f -> !f.getFileName().toString().matches("\\d{6}\\.png"))) {
                throw p.bad("output", "folder " + target + " holds files other than a PNG sequence; "
                        + "choose a new or empty folder");
            }
        }
    }
}
