package org.portraitgen.workbench.internal.viewport;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.StackLayout;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.portraitgen.api.field.GpuStatus;
import org.portraitgen.api.node.PortType;
import org.portraitgen.workbench.internal.model.FrameFolder;
import org.portraitgen.workbench.internal.model.GraphDocument;
import org.portraitgen.workbench.internal.model.NodeSources;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * Shows the selected node's output on an OpenGL canvas: its frames with a timeline scrubber and play, a mask overlay,
 * a lifted Gaussian field rendered live from any frame's pose (drag to orbit, wheel to zoom, double-click to go
 * back to the tracked camera), and a before/after split against what went into the node (drag the line). One
 * decoded frame per layer is held at a time, so long clips cost no memory.
 */
public final class ViewportView {
    private static final Color BACKGROUND = new Color(18, 18, 20);
    private static final Color TEXT = new Color(170, 175, 182);
    /** The overlay colour of masks: a warm red that stands apart from skin, sky and the blue test frames. */
    private static final int[] MASK_TINT = {255, 64, 96};
    /** Long side of live field renders: small enough to follow the mouse on the CPU service. */
    private static final int FIELD_LONG_SIDE = 256;
    private final Studio studio;
    private final Composite root;
    private final Composite stage;
    private final StackLayout stageLayout = new StackLayout();
    private final ViewportSurface surface;
    private final Composite captionBox;
    private final Label captionLabel;
    private final Label status;
    private final Button split;
    private final Button overlay;
    private final Button resetView;
    private final Button play;
    private final Scale timeline;
    private final Label position;
    private final FieldPreview field;
    private final GraphDocument.Listener onDocument = d -> showSelected();
    private final Runnable onOutputs;
    private String shownNode;
    private FrameFolder frames;
    private FrameFolder beforeFrames;
    private FrameFolder masks;
    private Path fieldDir;
    private Path trackingDir;
    private int fieldFrames;
    private Orbit orbit = Orbit.TRACKED;
    private FieldPreview.Rendered lastRender;
    private Picture after;
    private Picture before;
    private Picture mask;
    private double splitAt = 0.5;
    private String caption = "Select a node that has run to see its output.";
    private int frame = -1;
    private boolean playing;
    private int dragX = -1;
    private int dragY = -1;
    private boolean draggingSplit;

    public ViewportView(Composite parent, Studio studio) {
        this(parent, studio, () -> true);
    }

    /** @param gpuAllowed whether field renders may use a GPU service (the preference), read per render */
    public ViewportView(Composite parent, Studio studio, BooleanSupplier gpuAllowed) {
        this.studio = studio;
        root = new Composite(parent, SWT.NONE);
        GridLayout layout = new GridLayout(6, false);
        layout.marginWidth = 4;
        layout.marginHeight = 4;
        root.setLayout(layout);
        split = toggle("Before | After", "Split the view: left of the line is what went into the node");
        overlay = toggle("Mask", "Blend the mask over the frames");
        resetView = new Button(root, SWT.PUSH);
        resetView.setText("Tracked view");
        resetView.setToolTipText("Back to the tracked camera (also: double-click the view); drag to orbit, wheel"
                + " to zoom");
        resetView.addListener(SWT.Selection, e -> setOrbit(Orbit.TRACKED));
        new Label(root, SWT.NONE).setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
        stage = new Composite(root, SWT.NONE);
        stage.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 6, 1));
        stage.setLayout(stageLayout);
        stage.setBackground(BACKGROUND);
        surface = createSurface(stage, studio.bundleContext());
        captionBox = new Composite(stage, SWT.NONE);
        captionBox.setBackground(BACKGROUND);
        captionBox.setLayout(new GridLayout());
        captionLabel = new Label(captionBox, SWT.CENTER | SWT.WRAP);
        captionLabel.setBackground(BACKGROUND);
        captionLabel.setForeground(TEXT);
        captionLabel.setLayoutData(new GridData(SWT.CENTER, SWT.CENTER, true, true));
        Composite transport = new Composite(root, SWT.NONE); // its own grid, so play sits tight to the timeline
        transport.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1));
        GridLayout tl = new GridLayout(3, false);
        tl.marginWidth = 0;
        tl.marginHeight = 0;
        transport.setLayout(tl);
        play = new Button(transport, SWT.TOGGLE);
        play.setText("Play");
        play.addListener(SWT.Selection, e -> setPlaying(play.getSelection()));
        timeline = new Scale(transport, SWT.HORIZONTAL);
        timeline.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        timeline.addListener(SWT.Selection, e -> showFrame(timeline.getSelection()));
        position = new Label(transport, SWT.RIGHT);
        GridData pd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        pd.widthHint = 110;
        position.setLayoutData(pd);
        status = new Label(root, SWT.NONE);
        status.setForeground(root.getDisplay().getSystemColor(SWT.COLOR_WIDGET_DARK_SHADOW));
        status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 6, 1));
        field = new FieldPreview(studio.bundleContext(), gpuAllowed);
        hookMouse(surface.control());
        onOutputs = () -> root.getDisplay().asyncExec(() -> {
            if (!root.isDisposed()) {
                showSelected();
            }
        });
        studio.document().addListener(onDocument);
        studio.outputs().addListener(onOutputs);
        root.addListener(SWT.Dispose, e -> {
            studio.document().removeListener(onDocument);
            studio.outputs().removeListener(onOutputs);
            field.close();
        });
        showSelected();
    }

    private static ViewportSurface createSurface(Composite parent, BundleContext context) {
        if (Boolean.getBoolean("portraitgen.viewport.nogl")) {
            return new ImageViewportSurface(parent, "turned off by -Dportraitgen.viewport.nogl");
        }
        awaitGpuService(context);
        try {
            return new GlViewportSurface(parent);
        } catch (RuntimeException | LinkageError e) {
            // e.g. a remote X display without GLX; the viewport still works, just without GL
            return new ImageViewportSurface(parent, String.valueOf(e.getMessage()));
        }
    }

    /**
     * Lets the GPU field service finish opening its EGL context before this GLX one is made: Mesa llvmpipe
     * (22.3) aborts the process with an LLVM error when two of its screens initialise at the same time.
     */
    private static void awaitGpuService(BundleContext context) {
        if (context == null) {
            return;
        }
        ServiceReference<GpuStatus> ref = context.getServiceReference(GpuStatus.class);
        GpuStatus gpu = ref == null ? null : context.getService(ref);
        if (gpu != null) {
            try {
                gpu.available(); // returns once the context opened (and its kernels ran) or failed
            } finally {
                context.ungetService(ref);
            }
        }
    }

    private Button toggle(String text, String tip) {
        Button b = new Button(root, SWT.TOGGLE);
        b.setText(text);
        b.setToolTipText(tip);
        b.addListener(SWT.Selection, e -> present());
        return b;
    }

    private void hookMouse(Control c) {
        c.addListener(SWT.MouseDown, e -> {
            dragX = e.x;
            dragY = e.y;
            draggingSplit = split.getSelection() && before != null && Math.abs(e.x - splitX()) < 8;
        });
        c.addListener(SWT.MouseUp, e -> {
            boolean orbited = dragX >= 0 && !draggingSplit && fieldDir != null;
            dragX = -1;
            if (orbited) {
                requestFieldRender(); // the full size once the mouse rests
            }
        });
        c.addListener(SWT.MouseMove, e -> drag(e));
        c.addListener(SWT.MouseVerticalWheel, e -> {
            if (fieldDir != null) {
                setOrbit(orbit.zoomed(Math.pow(1.1, Math.signum(e.count))));
            }
        });
        c.addListener(SWT.MouseDoubleClick, e -> setOrbit(Orbit.TRACKED));
    }

    private void drag(Event e) {
        if (dragX < 0 || (e.stateMask & SWT.BUTTON1) == 0) {
            return;
        }
        if (draggingSplit && after != null) {
            int[] fit = fit();
            splitAt = Math.max(0, Math.min(1, (double) (e.x - fit[0]) / fit[2]));
            present();
        } else if (fieldDir != null) {
            setOrbit(orbit.turned(0.4 * (e.x - dragX), -0.4 * (e.y - dragY)));
        }
        dragX = e.x;
        dragY = e.y;
    }

    private int[] fit() {
        var area = surface.control().getSize();
        return after.fitIn(Math.max(1, area.x), Math.max(1, area.y));
    }

    private int splitX() {
        if (after == null) {
            return -1;
        }
        int[] fit = fit();
        return fit[0] + (int) Math.round(splitAt * fit[2]);
    }

    public Composite control() {
        return root;
    }

    public Scale timeline() {
        return timeline;
    }

    public Label position() {
        return position;
    }

    public int frame() {
        return frame;
    }

    public FrameFolder frames() {
        return frames;
    }

    public String caption() {
        return caption;
    }

    public Button splitButton() {
        return split;
    }

    public Button maskButton() {
        return overlay;
    }

    public Label status() {
        return status;
    }

    public Control surfaceControl() {
        return surface.control();
    }

    /** "OpenGL ..." when the GL canvas runs, else why not. */
    public String surfaceDescription() {
        return surface.description();
    }

    /** The field render on screen now, or null. */
    public FieldPreview.Rendered lastRender() {
        return lastRender;
    }

    public Orbit orbit() {
        return orbit;
    }

    public void setSplit(double at) {
        splitAt = Math.max(0, Math.min(1, at));
        present();
    }

    /** What GL drew, read back from its buffer; empty without GL. */
    public Optional<Picture> readBack() {
        return surface instanceof GlViewportSurface gl ? Optional.of(gl.readBack()) : Optional.empty();
    }

    public void setOrbit(Orbit next) {
        orbit = Objects.requireNonNull(next);
        requestFieldRender();
    }

    public void setPlaying(boolean on) {
        playing = on && count() > 0;
        play.setSelection(playing);
        play.setText(playing ? "Pause" : "Play");
        if (playing) {
            tick();
        }
    }

    private int count() {
        return fieldDir != null ? fieldFrames : frames == null ? 0 : frames.frameCount();
    }

    private void tick() {
        if (!playing || root.isDisposed() || count() == 0) {
            return;
        }
        showFrame((frame + 1) % count());
        double fps = frames != null ? frames.frameRate() : beforeFrames != null ? beforeFrames.frameRate() : 25;
        root.getDisplay().timerExec((int) Math.max(10, 1000 / fps), this::tick);
    }

    private void showSelected() {
        var doc = studio.document();
        NodeSources sources = new NodeSources(doc.graph(), studio.catalog(), studio.outputs());
        // the selected node, else the last node with frames: after a run the artist sees its result at once
        String node = doc.selectedNode().map(n -> n.id()).orElseGet(() -> doc.graph().nodes().reversed().stream()
                .filter(n -> FrameFolder.firstOf(studio.outputs().of(n.id())).isPresent()).map(n -> n.id())
                .findFirst().orElse(null));
        Path nextField = node == null ? null : sources.own(node, PortType.FIELD).filter(FieldPreview::isField)
                .orElse(null);
        FrameFolder nextFrames = node == null ? null : sources.own(node, PortType.FRAMES).flatMap(FrameFolder::read)
                .or(() -> nextField != null ? Optional.empty() : sources.upstream(node, PortType.FRAMES)
                        .flatMap(FrameFolder::read).filter(f -> sources.own(node, PortType.MASKS).isPresent()))
                .or(() -> nextField != null ? Optional.empty() : FrameFolder.firstOf(studio.outputs().of(node)))
                .orElse(null);
        FrameFolder nextBefore = node == null ? null : sources.upstream(node, PortType.FRAMES)
                .flatMap(FrameFolder::read).filter(f -> !f.equals(nextFrames)).orElse(null);
        FrameFolder nextMasks = node == null ? null : sources.own(node, PortType.MASKS)
                .or(() -> sources.upstream(node, PortType.MASKS)).flatMap(FrameFolder::read).orElse(null);
        Path nextTracking = node == null ? null : sources.own(node, PortType.TRACKING)
                .or(() -> sources.upstream(node, PortType.TRACKING)).orElse(null);
        caption = doc.selectedNode().map(n -> studio.outputs().of(n.id()).isEmpty() ? n.id() + " has not run yet."
                : nextField != null && nextTracking == null ? n.id() + " holds a field, but no tracking upstream"
                        + " has run to pose it." : textOf(n.id()).orElse(n.id() + " has no frames to show."))
                .orElse("Select a node that has run to see its output.");
        boolean ownMasks = node != null && sources.own(node, PortType.MASKS).isPresent();
        Path fieldToShow = nextTracking == null ? null : nextField;
        if (Objects.equals(nextFrames, frames) && Objects.equals(nextBefore, beforeFrames)
                && Objects.equals(nextMasks, masks) && Objects.equals(fieldToShow, fieldDir)
                && Objects.equals(nextTracking, trackingDir)) {
            present(); // the caption may have changed (the node ran, or another was selected)
            return;
        }
        shownNode = node;
        frames = nextFrames;
        beforeFrames = nextBefore;
        after = null;
        if (fieldToShow != null) {
            caption = "Rendering the field of " + node + "…";
        }
        masks = nextMasks;
        fieldDir = fieldToShow;
        trackingDir = nextTracking;
        fieldFrames = 0;
        lastRender = null;
        overlay.setSelection(ownMasks);
        overlay.setEnabled(masks != null);
        split.setEnabled(beforeFrames != null);
        resetView.setEnabled(fieldDir != null);
        setPlaying(false);
        int n = fieldDir != null ? Math.max(1, beforeFrames == null ? 1 : beforeFrames.frameCount()) : count();
        timeline.setEnabled(n > 0);
        timeline.setMaximum(Math.max(1, n - 1));
        frame = -1;
        showFrame(0);
    }

    /** The start of a node's text output (captions, reports), to show in place of frames. */
    private Optional<String> textOf(String nodeId) {
        return FrameFolder.firstText(studio.outputs().of(nodeId)).map(p -> {
            try (var lines = java.nio.file.Files.lines(p)) {
                return lines.limit(20).collect(java.util.stream.Collectors.joining("\n"));
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return p.getFileName() + " cannot be read: " + e.getMessage();
            }
        });
    }

    /** Shows frame {@code index}: the frames' picture, or the field posed by that frame's tracking. */
    public void showFrame(int index) {
        int n = fieldDir != null ? Math.max(1, fieldFrames > 0 ? fieldFrames : timeline.getMaximum() + 1) : count();
        if (n == 0) {
            frame = -1;
            after = null;
            before = null;
            mask = null;
            position.setText("");
            present();
            return;
        }
        frame = Math.max(0, Math.min(index, n - 1));
        after = fieldDir != null ? after : load(frames, frame);
        before = load(beforeFrames, frame);
        Picture m = load(masks, frame);
        mask = m == null ? null : m.tinted(MASK_TINT[0], MASK_TINT[1], MASK_TINT[2], 0.45);
        timeline.setSelection(frame);
        double fps = frames != null ? frames.frameRate() : beforeFrames != null ? beforeFrames.frameRate() : 25;
        position.setText(String.format("%d / %d  %.0f fps", frame + 1, n, fps));
        if (fieldDir != null) {
            requestFieldRender();
        }
        present();
    }

    private Picture load(FrameFolder folder, int index) {
        if (folder == null || index >= folder.frameCount()) {
            return null;
        }
        try {
            return Picture.of(new ImageData(folder.frame(index).toString()));
        } catch (RuntimeException e) {
            caption = "frame " + index + " of " + folder.directory() + " cannot be read: " + e.getMessage();
            return null;
        }
    }

    private void requestFieldRender() {
        if (fieldDir == null) {
            return;
        }
        Path dir = fieldDir;
        int wanted = Math.max(0, frame);
        Orbit o = orbit;
        // half size while the mouse orbits, so the CPU service keeps up with the hand
        int longSide = dragX >= 0 && !draggingSplit ? FIELD_LONG_SIDE / 2 : FIELD_LONG_SIDE;
        field.render(dir, trackingDir, wanted, o, longSide).whenComplete((r, err) -> {
            if (root.isDisposed()) {
                return;
            }
            root.getDisplay().asyncExec(() -> {
                if (root.isDisposed() || !dir.equals(fieldDir)) {
                    return;
                }
                if (err != null) {
                    Throwable cause = err.getCause() != null ? err.getCause() : err;
                    caption = "the field cannot be rendered: " + cause.getMessage();
                    after = null;
                    present();
                } else if (r != null) {
                    lastRender = r;
                    boolean first = fieldFrames == 0;
                    fieldFrames = r.frameCount();
                    if (first) {
                        timeline.setMaximum(Math.max(1, fieldFrames - 1));
                        position.setText(String.format("%d / %d", frame + 1, fieldFrames));
                    }
                    after = Picture.of(r.image());
                    present();
                }
            });
        });
    }

    private void present() {
        boolean showPicture = after != null;
        Control top = showPicture ? surface.control() : captionBox;
        if (stageLayout.topControl != top) {
            stageLayout.topControl = top;
            stage.layout();
        }
        if (!caption.equals(captionLabel.getText())) {
            captionLabel.setText(caption);
            captionBox.layout();
        }
        surface.show(after, split.getSelection() ? before : null, overlay.getSelection() ? mask : null,
                split.getSelection() && before != null ? splitAt : 0);
        status.setText(statusText());
        split.setEnabled(before != null);
        overlay.setEnabled(mask != null);
        resetView.setEnabled(fieldDir != null);
    }

    private String statusText() {
        if (fieldDir != null) {
            FieldPreview.Rendered r = lastRender;
            return r == null ? "Gaussian field: rendering…" : String.format(
                    "%s · field on %s · pose %d · yaw %.0f° pitch %.0f° · zoom %.2f · %d ms", shownNode,
                    r.backend(), r.frame() + 1, r.orbit().yawDegrees(), r.orbit().pitchDegrees(), r.orbit().zoom(),
                    r.millis());
        }
        if (after == null) {
            return "";
        }
        return (shownNode == null ? "" : shownNode + " · ") + after.width() + "×"
                + after.height() + (split.getSelection() && before != null
                        ? " · before | after: left of the line is the input" : "")
                + (overlay.getSelection() && mask != null ? " · mask overlaid" : "");
    }
}
