package org.portraitgen.field.internal.nodes;

import static org.osgi.service.component.annotations.ReferenceCardinality.MULTIPLE;
import static org.osgi.service.component.annotations.ReferenceCardinality.OPTIONAL;
import static org.osgi.service.component.annotations.ReferencePolicy.DYNAMIC;
import static org.osgi.service.component.annotations.ReferencePolicyOption.GREEDY;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.field.GaussianFieldService;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.field.internal.Workers;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.cnn.CnnEngine;
import org.portraitgen.field.internal.cnn.CnnEngines;
import org.portraitgen.field.internal.train.GaussianField;
import org.portraitgen.field.internal.train.LiftInputs;
import org.portraitgen.field.internal.train.Lifter;
import org.portraitgen.field.internal.train.LossWeights;
import org.portraitgen.field.internal.train.NonFiniteException;
import org.portraitgen.field.internal.train.TrainingFrame;

/**
 * {@code field.lift}: trains a Gaussian field on frames (+ masks) and the tracked rig. Checkpoints go to the node's
 * checkpoint folder every {@code checkpoint_every} steps, so a killed run resumes where it stopped; the finished
 * checkpoint is the {@code field} port's value ({@value FieldNodeSupport#CHECKPOINT}).
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + LiftNode.TYPE)
public class LiftNode implements NodeProvider {
    static final String TYPE = "field.lift";
    static final String VERSION = "0.1.0";
    /** Feature channels per Gaussian. */
    public static final int CHANNELS = 32;

    static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "Lift to Gaussian field", "Field",
            "Trains a neural Gaussian field bound to the tracked rig's triangles on the frames (PortraitGen's lifting)."
                    + " Every k-th frame is held out for validation (PSNR).",
            VERSION,
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames to fit"),
                    new PortSpec("masks", PortType.MASKS, "foreground masks aligned with the frames", true),
                    PortSpec.of("tracking", PortType.TRACKING, "per-frame camera and rig")),
            List.of(PortSpec.of("field", PortType.FIELD, "the lifted field's checkpoint")),
            List.of(ParameterSpec.integer("steps", "optimisation steps", 2000, 1, 10_000_000),
                    ParameterSpec.integer("batch", "frames per step", 1, 1, 64),
                    ParameterSpec.integer("resolution", "long side of the training images, pixels (0: the frames')",
                            256, 0, 4096),
                    ParameterSpec.integer("holdout_every", "hold out every k-th frame for validation (0: none)", 10,
                            0, 1_000_000),
                    ParameterSpec.integer("checkpoint_every", "steps between checkpoints", 100, 1, 10_000_000),
                    ParameterSpec.integer("validate_every", "steps between held-out PSNR reports", 100, 1,
                            10_000_000),
                    ParameterSpec.integer("uv_resolution", "Gaussians per side of the UV map (density)", 185, 2,
                            1024),
                    ParameterSpec.integer("seed", "seed of initialisation and batch order", 1, 0, Integer.MAX_VALUE)),
            new ResourceNeeds(2, 4096, 0, false));

    /** Managed by SCR: every installed tracker; any of them may read the tracking folder. */
    private final List<Tracker> trackers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = MULTIPLE, policy = DYNAMIC, policyOption = GREEDY)
    void addTracker(Tracker t) {
        trackers.add(t);
    }

    void removeTracker(Tracker t) {
        trackers.remove(t);
    }

    private final AtomicReference<VideoIO> videoIO = new AtomicReference<>();

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setVideoIO(VideoIO io) {
        videoIO.set(io);
    }

    void unsetVideoIO(VideoIO io) {
        videoIO.compareAndSet(io, null);
    }

    /** The best-ranked field service (the GPU one when its context opened): trains on its device if it can. */
    private final AtomicReference<GaussianFieldService> fieldService = new AtomicReference<>();

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC, policyOption = GREEDY)
    void setFieldService(GaussianFieldService service) {
        fieldService.set(service);
    }

    void unsetFieldService(GaussianFieldService service) {
        fieldService.compareAndSet(service, null);
    }

    /**
     * Present when the GPU bundle is: the GPU service registers once its context has opened (asynchronously), so
     * a lift waits for that to settle and trains on the same device however fast the process started.
     */
    private final AtomicReference<GpuStatus> gpuStatus = new AtomicReference<>();

    @Reference(cardinality = OPTIONAL, policy = DYNAMIC)
    void setGpuStatus(GpuStatus status) {
        gpuStatus.set(status);
    }

    void unsetGpuStatus(GpuStatus status) {
        gpuStatus.compareAndSet(status, null);
    }

    /** The default of one of this node's integer parameters (the lift benchmark trains with the node's). */
    public static int defaultOf(String parameter) {
        return ((Number) DESCRIPTOR.parameter(parameter).orElseThrow().defaultValue()).intValue();
    }

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        FieldNodeSupport s = new FieldNodeSupport(context, DESCRIPTOR);
        Lifter.Settings settings = new Lifter.Settings(s.integer("steps"), s.integer("batch"),
                s.integer("holdout_every"), s.integer("checkpoint_every"), s.integer("validate_every"),
                s.integer("seed"), LossWeights.portraitGen());
        VideoIO io = videoIO.get();
        FrameStore frames = s.frames(io, s.input("frames"), "frames");
        FrameStore masks = context.input("masks").isPresent() ? s.frames(io, s.input("masks"), "masks") : null;
        Rig rig = s.rig(List.copyOf(trackers), s.input("tracking"));
        requireMemoryFor(s, frames, masks != null);
        LiftInputs inputs = LiftInputs.of(rig, load(context, s, frames, masks, rig, s.integer("resolution")));
        List<TrainingFrame> data = inputs.frames();
        TriangleBinding binding;
        try {
            binding = inputs.binding(s.integer("uv_resolution"));
        } catch (IllegalArgumentException e) {
            throw s.invalid("the rig cannot carry Gaussians: " + e.getMessage());
        }
        s.requireGaussianLimit(binding.count(), "parameter 'uv_resolution' = " + s.integer("uv_resolution")
                + " on this rig");
        context.log(binding.count() + " Gaussians on " + rig.triangles().length / 3 + " triangles; "
                + data.size() + " frames at " + data.get(0).rgb().width() + "x" + data.get(0).rgb().height());
        Path checkpoint = context.checkpoints().resolve(FieldNodeSupport.CHECKPOINT);
        try (Workers workers = new Workers(Runtime.getRuntime().availableProcessors());
                CnnEngine engine = CnnEngines.training(CHANNELS, workers, context::log)) {
            GaussianField fresh = inputs.freshField(binding, CHANNELS, settings.seed());
            Lifter.Result r = new Lifter(trainers(context, workers, engine)).lift(data, fresh, checkpoint, settings,
                    (step, steps, loss, psnr) -> {
                        context.checkCancelled();
                        context.metric("loss", step, loss);
                        if (!Double.isNaN(psnr)) {
                            context.metric("psnr", step, psnr);
                        }
                        context.progress((double) step / steps, "step " + step + " of " + steps);
                    });
            if (r.resumed()) {
                context.log("resumed from the checkpoint in " + context.checkpoints());
            }
            context.log("held-out PSNR " + r.heldOutPsnr() + " dB after " + r.steps() + " steps");
            FieldNodeSupport.copyAtomically(checkpoint,
                    context.output("field").resolve(FieldNodeSupport.CHECKPOINT));
        } catch (NonFiniteException e) {
            throw s.failure(e.getMessage() + "; the last good checkpoint is kept in " + context.checkpoints(), e);
        } catch (IOException e) {
            throw s.failure(e.getMessage(), e);
        }
    }

    /**
     * The training images (float RGB and mask per frame), the Gaussians with gradients and Adam moments (at most one
     * per UV texel, 11 + 32 doubles, four copies) and the renderer's activations for a batch (its 32+128+64+32+32+32+3
     * channels, forward and backward), against the heap.
     */
    private static void requireMemoryFor(FieldNodeSupport s, FrameStore frames, boolean masks) throws NodeException {
        int[] size = FieldNodeSupport.size(frames.info().width(), frames.info().height(), s.integer("resolution"));
        long pixels = (long) size[0] * size[1];
        long images = frames.info().frameCount() * pixels * (masks ? 4 : 3) * Float.BYTES;
        long uv = s.integer("uv_resolution");
        long gaussians = uv * uv * (11 + CHANNELS) * Double.BYTES * 4;
        long activations = s.integer("batch") * pixels * 323L * Float.BYTES * 2;
        s.requireMemory(images + gaussians + activations, "lifting " + frames.info().frameCount() + " frames at "
                + size[0] + "x" + size[1] + " (batch " + s.integer("batch") + ", uv_resolution " + uv + ")");
    }

    private Lifter.TrainerFactory trainers(NodeContext context, Workers workers, CnnEngine engine) {
        return TrainerChoice.of(gpuStatus.get(), fieldService::get, context, workers, engine);
    }

    /** The frames resized to {@code resolution} (long side) with their rig states' cameras scaled to match. */
    static List<TrainingFrame> load(NodeContext context, FieldNodeSupport s, FrameStore frames,
            FrameStore masks, Rig rig, int resolution) throws NodeException, IOException {
        int n = frames.info().frameCount();
        if (rig.frameCount() != n) {
            throw s.invalid("the tracking has " + rig.frameCount() + " frames, the frames input " + n);
        }
        if (masks != null && masks.info().frameCount() != n) {
            throw s.invalid("the masks input has " + masks.info().frameCount() + " frames, the frames input " + n);
        }
        int[] size = FieldNodeSupport.size(frames.info().width(), frames.info().height(), resolution);
        List<TrainingFrame> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            context.checkCancelled();
            FloatImage rgb = FieldNodeSupport.resize(frames.read(i), size[0], size[1]);
            FloatImage mask = masks == null ? null : FieldNodeSupport.resize(masks.read(i), size[0], size[1]);
            var state = rig.state(i);
            if (state.camera().width() * frames.info().height() != state.camera().height() * frames.info().width()) {
                throw s.invalid("frame " + i + ": the tracking camera is " + state.camera().width() + "x"
                        + state.camera().height() + ", the frames " + frames.info().width() + "x"
                        + frames.info().height());
            }
            out.add(new TrainingFrame(FieldNodeSupport.scaled(state, size[0], size[1]), rgb, mask));
            context.progress(0.0, "reading frame " + (i + 1) + " of " + n);
        }
        return out;
    }
}
