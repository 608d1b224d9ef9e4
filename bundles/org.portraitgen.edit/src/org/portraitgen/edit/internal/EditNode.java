package org.portraitgen.edit.internal;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterKind;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.core.Images;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.nodes.FieldNodeSupport;
import org.portraitgen.field.internal.nodes.TrainerChoice;
import org.portraitgen.field.internal.train.Checkpoints;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.NonFiniteException;

/**
 * {@code edit.field}: PortraitGen's 3D-consistent edit of a lifted field with any installed editor (iterative dataset
 * update, face-aware editing, expression guidance). Its {@code field} output is a field checkpoint like
 * {@code field.lift}'s, so {@code field.render} renders it; {@code keyframes} holds the last edited key frames.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + EditNode.TYPE)
public class EditNode implements NodeProvider {
    static final String TYPE = "edit.field";
    static final String VERSION = "0.1.0";

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Edit", "Edit",
            "Edits a lifted field in 3D: renders every k-th frame, edits it with the chosen editor, trains the field"
                    + " on the edits and re-edits the renders with a falling strength (iterative dataset update);"
                    + " optionally edits the head again on a crop and keeps the source's expression.",
            VERSION,
            List.of(PortSpec.of("field", PortType.FIELD, "the lifted field"),
                    PortSpec.of("tracking", PortType.TRACKING, "the clip's tracking the field was lifted on"),
                    new PortSpec("masks", PortType.MASKS, "foreground masks (kept as the field's silhouette)", true)),
            List.of(PortSpec.of("field", PortType.FIELD, "the edited field"),
                    PortSpec.of("keyframes", PortType.FRAMES, "the last edited key frames the field was trained on")),
            List.of(ParameterSpec.text("editor", "id of an installed editor, e.g. builtin.stylization",
                    "builtin.stylization"),
                    new ParameterSpec("prompt", ParameterKind.PROMPT, "instruction for editors that take one", "",
                            null, null, null),
                    ParameterSpec.inputFile("reference", "reference image for editors that use one", ""),
                    ParameterSpec.number("strength", "how far the edit may go from the render", 1.0, 0, 1),
                    ParameterSpec.integer("seed", "seed of the editor and of the batch order", 0, 0,
                            Integer.MAX_VALUE),
                    ParameterSpec.integer("key_every", "every k-th frame is a key frame", 5, 1, 100_000),
                    ParameterSpec.integer("steps", "training steps on the edited key frames", 300, 1, 10_000_000),
                    ParameterSpec.integer("reedit_every", "steps between re-edits of the current renders", 50, 1,
                            10_000_000),
                    ParameterSpec.number("noise_start", "re-edit strength (noise level) at the start", 0.8, 0, 1),
                    ParameterSpec.number("noise_end", "re-edit strength (noise level) at the end", 0.5, 0, 1),
                    ParameterSpec.integer("resolution", "long side of the renders edited and trained on, pixels",
                            256, 8, 4096),
                    ParameterSpec.integer("batch", "key frames per step", 1, 1, 64),
                    ParameterSpec.integer("checkpoint_every", "steps between checkpoints", 50, 1, 10_000_000),
                    ParameterSpec.bool("face_aware", "edit the head again on a crop and blend it back", true),
                    ParameterSpec.number("face_scale", "head crop size as a multiple of the face box", 1.7, 1, 4),
                    ParameterSpec.bool("expression_guidance",
                            "keep the edited key frames' expression at the source frame's (tracker landmarks)", true),
                    ParameterSpec.number("expression_weight", "share of the expression drift undone", 1.0, 0, 1)),
            new ResourceNeeds(2, 4096, 0, false));

    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();
    private final List<EditorProvider> editors = new CopyOnWriteArrayList<>();
    private final AtomicReference<VideoIO> videoIO = new AtomicReference<>();

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addTracker(Tracker t) {
        trackers.add(t);
    }

    void removeTracker(Tracker t) {
        trackers.remove(t);
    }

    /** Managed by SCR: every installed editor, picked by id at run time. */
    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addEditor(EditorProvider e) {
        editors.add(e);
    }

    void removeEditor(EditorProvider e) {
        editors.remove(e);
    }

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setVideoIO(VideoIO io) {
        videoIO.set(io);
    }

    void unsetVideoIO(VideoIO io) {
        videoIO.compareAndSet(io, null);
    }

    /** The best-ranked field service (the GPU one when its context opened): the loop trains on its device. */
    private final AtomicReference<GaussianFieldService> fieldService = new AtomicReference<>();
    private final AtomicReference<GpuStatus> gpuStatus = new AtomicReference<>();

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setFieldService(GaussianFieldService service) {
        fieldService.set(service);
    }

    void unsetFieldService(GaussianFieldService service) {
        fieldService.compareAndSet(service, null);
    }

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC)
    void setGpuStatus(GpuStatus status) {
        gpuStatus.set(status);
    }

    void unsetGpuStatus(GpuStatus status) {
        gpuStatus.compareAndSet(status, null);
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
        EditorProvider editor = editor(s, s.text("editor").trim());
        Path fieldFile = s.input("field").resolve(FieldNodeSupport.CHECKPOINT);
        if (!Files.isRegularFile(fieldFile)) {
            throw s.invalid("input 'field' holds no " + FieldNodeSupport.CHECKPOINT);
        }
        GaussianField lifted;
        try {
            lifted = Checkpoints.read(fieldFile).field();
        } catch (IOException e) {
            throw s.invalid("input 'field': " + e.getMessage());
        }
        Rig rig = s.rig(List.copyOf(trackers), s.input("tracking"));
        if (rig.vertexCount() != lifted.binding.vertexCount) {
            throw s.invalid("the field was lifted on a rig of " + lifted.binding.vertexCount + " vertices, input"
                    + " 'tracking' has " + rig.vertexCount());
        }
        RigState first = rig.state(0);
        int[] size = FieldNodeSupport.size(first.camera().width(), first.camera().height(), s.integer("resolution"));
        List<RigState> states = new ArrayList<>();
        for (int i = 0; i < rig.frameCount(); i++) {
            states.add(FieldNodeSupport.scaled(rig.state(i), size[0], size[1]));
        }
        List<FloatImage> masks = masks(context, s, io, rig.frameCount(), size);
        var needs = editor.descriptor().needs();
        if (masks == null && needs.contains(EditorInput.MASK)) {
            throw s.invalid("editor '" + editor.descriptor().id() + "' needs input 'masks'");
        }
        FloatImage reference = reference(s, editor);
        String prompt = s.text("prompt");
        if (prompt.isBlank() && needs.contains(EditorInput.PROMPT)) {
            throw s.invalid("editor '" + editor.descriptor().id() + "' needs a non-empty parameter 'prompt'");
        }
        boolean faceAware = s.bool("face_aware");
        boolean guided = s.bool("expression_guidance");
        if ((faceAware || guided) && rig.vertexCount() < FaceLandmarks.FACE_POINTS) {
            throw s.invalid("face_aware and expression_guidance need a face-mesh rig (" + FaceLandmarks.FACE_POINTS
                    + " face points); the tracking has " + rig.vertexCount() + " vertices: switch them off");
        }
        UpdateSchedule schedule;
        try {
            schedule = new UpdateSchedule(rig.frameCount(), s.integer("key_every"), s.integer("steps"),
                    s.integer("reedit_every"), s.number("noise_start"), s.number("noise_end"));
        } catch (IllegalArgumentException e) {
            throw s.invalid("parameters 'noise_start'/'noise_end': " + e.getMessage());
        }
        EditLoop.Settings settings = new EditLoop.Settings(schedule, s.integer("batch"), s.integer("checkpoint_every"),
                s.integer("seed"), EditLoop.Settings.editingWeights());
        FaceAwareEditor frameEditor = new FaceAwareEditor(editor, reference, prompt.isBlank() ? null : prompt,
                s.number("strength"), s.integer("seed"), Map.of(), faceAware, s.number("face_scale"));
        Tracker tracker = trackers.isEmpty() ? null : trackers.get(0);
        if (guided && tracker == null) {
            throw s.failure("expression_guidance needs a Tracker service (org.portraitgen.tracking)", null);
        }
        EditLoop.Guidance guidance = guided ? new ExpressionGuidance(tracker, io,
                context.checkpoints().resolve("scratch"), s.number("expression_weight"), context)
                : (frames, st, edited) -> edited;
        context.log("editing " + schedule.keyFrames().size() + " key frames of " + rig.frameCount() + " at " + size[0]
                + "x" + size[1] + " with " + editor.descriptor().id() + (faceAware ? ", face-aware" : "")
                + (guided ? ", expression-guided" : ""));
        Path checkpoint = context.checkpoints();
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
                CnnEngine engine = CnnEngines.training(lifted.local.channels, workers, context::log)) {
            EditLoop.Result r = new EditLoop(workers, engine,
                    TrainerChoice.of(gpuStatus.get(), fieldService::get, context, workers, engine)).run(states, masks, lifted, checkpoint, settings,
                    frameEditor, guidance, (step, steps, loss, what) -> {
                        context.checkCancelled();
                        if (!Double.isNaN(loss)) {
                            context.metric("loss", step, loss);
                        } else {
                            context.log(what);
                        }
                        context.progress((double) step / steps, what);
                    });
            if (r.resumed()) {
                context.log("resumed from the checkpoint in " + checkpoint);
            }
            context.log(r.rounds() + " edit round(s) in this run, " + r.steps() + " steps");
            FieldNodeSupport.copyAtomically(checkpoint.resolve(EditLoop.FIELD_CHECKPOINT),
                    context.output("field").resolve(FieldNodeSupport.CHECKPOINT));
            writeKeyframes(io, context.output("keyframes"), r.targets());
        } catch (NonFiniteException e) {
            throw s.failure(e.getMessage() + "; the last good checkpoint is kept in " + checkpoint, e);
        } catch (IOException e) {
            throw s.failure(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw s.invalid("editor '" + editor.descriptor().id() + "': " + e.getMessage());
        }
    }

    private EditorProvider editor(FieldNodeSupport s, String id) throws org.portraitgen.api.node.NodeException {
        List<EditorProvider> installed = List.copyOf(editors);
        return installed.stream().filter(e -> e.descriptor().id().equals(id)).findFirst()
                .orElseThrow(() -> s.invalid("parameter 'editor': '" + id + "' is not installed; installed editors: "
                        + (installed.isEmpty() ? "none"
                                : installed.stream().map(e -> e.descriptor().id()).sorted()
                                        .collect(Collectors.joining(", ")))));
    }

    private static List<FloatImage> masks(NodeContext context, FieldNodeSupport s, VideoIO io, int n, int[] size)
            throws Exception {
        if (context.input("masks").isEmpty()) {
            return null;
        }
        FrameStore store = s.frames(io, s.input("masks"), "masks");
        if (store.info().frameCount() != n) {
            throw s.invalid("input 'masks' has " + store.info().frameCount() + " frames, the tracking " + n);
        }
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(FieldNodeSupport.resize(store.read(i), size[0], size[1]));
        }
        return out;
    }

    private static FloatImage reference(FieldNodeSupport s, EditorProvider editor) throws Exception {
        String file = s.text("reference").trim();
        boolean needed = editor.descriptor().needs().contains(EditorInput.REFERENCE_IMAGE);
        if (file.isEmpty()) {
            if (needed) {
                throw s.invalid("editor '" + editor.descriptor().id() + "' needs parameter 'reference' (an image)");
            }
            return null;
        }
        BufferedImage img = Files.isReadable(Path.of(file)) ? ImageIO.read(Path.of(file).toFile()) : null;
        if (img == null) {
            throw s.invalid("parameter 'reference': " + file + " is missing or not an image (PNG or JPEG)");
        }
        return editor.descriptor().uses(EditorInput.REFERENCE_IMAGE) ? Images.toFloat(img, 3) : null;
    }

    private static void writeKeyframes(VideoIO io, Path dir, EditTargets targets) throws IOException {
        FloatImage first = targets.images().get(0);
        try (FrameStoreWriter w = io.create(dir, first.width(), first.height(), 3, 25.0)) {
            for (int i = 0; i < targets.images().size(); i++) {
                w.append(targets.images().get(i), targets.frames().get(i) * 40_000L);
            }
            w.finish();
        }
    }
}
