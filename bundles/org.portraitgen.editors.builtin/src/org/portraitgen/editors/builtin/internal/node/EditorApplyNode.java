package org.portraitgen.editors.builtin.internal.node;

import java.io.IOException;
import java.util.List;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreInfo;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/**
 * {@code editor.apply}: one installed editor applied to every frame independently, the per-frame baseline the 3D
 * editing loop is measured against. Every frame gets the same seed, so a static scene stays static.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + EditorApplyNode.TYPE)
public class EditorApplyNode implements NodeProvider {

    static final String TYPE = "editor.apply";
    /** Part of every cache key: bump when the frames produced for the same editor and parameters change. */
    static final String VERSION = "1.0.0";

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Apply editor", "Edit",
            "Applies an installed 2D editor to every frame on its own (the per-frame baseline).", VERSION,
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames to edit"),
                    new PortSpec("masks", PortType.MASKS, "where to edit (default: everywhere)", true)),
            List.of(PortSpec.of("frames", PortType.FRAMES, "the edited frames, same timing and sound")),
            List.of(ParameterSpec.text("editor", "id of an installed editor, e.g. builtin.cartoon", null),
                    new ParameterSpec("prompt", ParameterKind.PROMPT, "instruction for editors that take one", "",
                            null, null, null),
                    ParameterSpec.inputFile("reference", "reference image for editors that use one", ""),
                    ParameterSpec.number("strength", "how far from the input the result may go", 1.0, 0, 1),
                    ParameterSpec.integer("seed", "seed for stochastic editors, the same for every frame", 0, 0,
                            Integer.MAX_VALUE)),
            new ResourceNeeds(1, 1024, 0, true));

    /** Static and mandatory: frame stores cannot be read or written without it. */
    @Reference
    private VideoIO videoIO;

    /**
     * Every installed editor, replaced by SCR as editor bundles come and go (a new list each time: read the field
     * once per use).
     */
    @Reference(service = EditorProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    private volatile List<EditorProvider> editors;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        EditJob job = EditJob.prepare(context, DESCRIPTOR, editors, videoIO);
        FrameStore in = job.frames();
        FrameStoreInfo info = in.info();
        EditedFrames done = new EditedFrames(context.checkpoints(), info.width(), info.height());
        int kept = 0;
        try (FrameStoreWriter out = videoIO.create(context.output("frames"), info.width(), info.height(), 3,
                info.frameRate())) {
            out.inheritAudio(in);
            for (int i = 0; i < info.frameCount(); i++) {
                context.checkCancelled();
                FloatImage edited = done.read(i);
                if (edited == null) {
                    edited = editFrame(context, job, i);
                    done.write(i, edited);
                } else {
                    kept++;
                }
                out.append(edited, info.timestampsUs().get(i));
                context.progress((i + 1) / (double) info.frameCount(), "editing with " + job.editorId());
            }
            out.finish();
            if (kept > 0) {
                context.log("resumed: " + kept + " of " + info.frameCount() + " frames were edited by an interrupted"
                        + " run and kept");
            }
        } catch (IOException e) {
            throw new NodeException(job.where() + e.getMessage(), e);
        }
    }

    private static FloatImage editFrame(NodeContext context, EditJob job, int index) throws Exception {
        FloatImage frame = job.frames().read(index);
        FloatImage mask = job.mask(index);
        try {
            return job.editor().edit(new EditRequest(frame, mask, job.reference(), null, job.prompt(),
                    job.strength(), job.seed(), java.util.Map.of()));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(job.where() + "frame " + index + ": " + e.getMessage(), e);
        }
    }
}
