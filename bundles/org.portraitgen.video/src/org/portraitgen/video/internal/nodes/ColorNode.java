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
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.video.internal.grade.ColorGrade;
import org.portraitgen.video.internal.grade.Look;

/** {@code video.color}: a colour grade of every frame; timing and sound pass through unchanged. */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + ColorNode.TYPE)
public class ColorNode implements NodeProvider {

    static final String TYPE = "video.color";
    /** Bump when the graded pixels for the same input and parameters change: it is part of every cache key. */
    static final String VERSION = "1.0.0";

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Colour grade", "Look",
            "Exposure, contrast, saturation, white balance and a look, applied to every frame.", VERSION,
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames to grade")),
            List.of(PortSpec.of("frames", PortType.FRAMES, "the graded frames, same timing and sound")),
            List.of(ParameterSpec.number("exposure", "exposure change in stops", 0.0, -5, 5),
                    ParameterSpec.number("contrast", "contrast around mid-grey (1: unchanged)", 1.0, 0, 3),
                    ParameterSpec.number("saturation", "colour saturation (0: grey, 1: unchanged)", 1.0, 0, 3),
                    ParameterSpec.number("temperature", "white balance: -1 cooler to +1 warmer", 0.0, -1, 1),
                    ParameterSpec.number("tint", "white balance: -1 greener to +1 more magenta", 0.0, -1, 1),
                    ParameterSpec.choice("look", "a named look applied last", Look.NONE.id(), Look.ids()),
                    ParameterSpec.number("look_amount", "strength of the look", 1.0, 0, 1)),
            new ResourceNeeds(1, 512, 0, true));

    /** Static and mandatory: VideoIO lives in this bundle, so it cannot go away while this node is registered. */
    @Reference
    private VideoIO videoIO;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws NodeException {
        ColorGrade grade = grade(new Params(context, DESCRIPTOR));
        FrameStore in = NodeSupport.inputFrames(context, TYPE, videoIO, "frames");
        FrameStoreInfo info = in.info();
        if (info.channels() != 3) {
            throw NodeSupport.failure(context, TYPE, "input 'frames' holds " + info.channels()
                    + "-channel frames (" + in.directory() + "); colour grading needs RGB frames");
        }
        // a render farm may hand this task one slice of the frames; the slices are joined by merge()
        int first = context.slice().map(s -> s.start(info.frameCount())).orElse(0);
        int end = context.slice().map(s -> s.end(info.frameCount())).orElse(info.frameCount());
        try (FrameStoreWriter out = videoIO.create(context.output("frames"), info.width(), info.height(), 3,
                info.frameRate())) {
            out.inheritAudio(in);
            for (int i = first; i < end; i++) {
                context.checkCancelled();
                out.append(grade.apply(in.read(i)), info.timestampsUs().get(i));
                context.progress((i + 1 - first) / (double) Math.max(1, end - first), "grading");
            }
            out.finish();
        } catch (IOException e) {
            throw NodeSupport.failure(context, TYPE, e.getMessage(), e);
        }
    }

    /** Joins graded slices, in order, into one store; frames are copied, not graded again. */
    @Override
    public void merge(List<Path> sliceOutputs, NodeContext context) throws NodeException {
        try {
            FrameStore firstSlice = videoIO.open(sliceOutputs.get(0).resolve("frames"));
            FrameStoreInfo info = firstSlice.info();
            try (FrameStoreWriter out = videoIO.create(context.output("frames"), info.width(), info.height(), 3,
                    info.frameRate())) {
                out.inheritAudio(firstSlice);
                for (Path slice : sliceOutputs) {
                    FrameStore part = videoIO.open(slice.resolve("frames"));
                    for (int i = 0; i < part.info().frameCount(); i++) {
                        context.checkCancelled();
                        out.append(part.readImage(i), part.info().timestampsUs().get(i));
                    }
                }
                out.finish();
            }
        } catch (IOException e) {
            throw NodeSupport.failure(context, TYPE, "joining slices: " + e.getMessage(), e);
        }
    }

    static ColorGrade grade(Params p) throws NodeException {
        return new ColorGrade(p.number("exposure"), p.number("contrast"), p.number("saturation"),
                p.number("temperature"), p.number("tint"), Look.byId(p.string("look")), p.number("look_amount"));
    }
}
