package org.portraitgen.workbench.internal.viewport;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.portraitgen.workbench.internal.model.FrameFolder;
import org.portraitgen.workbench.internal.model.GraphDocument;
import org.portraitgen.workbench.internal.model.Studio;

/**
 * Shows the selected node's output frames, fitted to the part, with a timeline scrubber and play. Plain SWT image
 * drawing: one decoded frame is held at a time, so long clips cost no memory.
 */
public final class ViewportView {
    private static final Color BACKGROUND = new Color(18, 18, 20);
    private static final Color TEXT = new Color(170, 175, 182);
    private final Studio studio;
    private final Composite root;
    private final Canvas canvas;
    private final Button play;
    private final Scale timeline;
    private final Label position;
    private final GraphDocument.Listener onDocument = d -> showSelected();
    private final Runnable onOutputs;
    private FrameFolder frames;
    private String caption = "Select a node that has run to see its output.";
    private Image image;
    private int frame = -1;
    private boolean playing;

    public ViewportView(Composite parent, Studio studio) {
        this.studio = studio;
        root = new Composite(parent, SWT.NONE);
        root.setLayout(new GridLayout(3, false));
        canvas = new Canvas(root, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        play = new Button(root, SWT.TOGGLE);
        play.setText("Play");
        play.addListener(SWT.Selection, e -> setPlaying(play.getSelection()));
        timeline = new Scale(root, SWT.HORIZONTAL);
        timeline.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
        timeline.addListener(SWT.Selection, e -> showFrame(timeline.getSelection()));
        position = new Label(root, SWT.NONE);
        GridData pd = new GridData(SWT.RIGHT, SWT.CENTER, false, false);
        pd.widthHint = 110;
        position.setLayoutData(pd);
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
            if (image != null) {
                image.dispose();
            }
        });
        showSelected();
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

    public void setPlaying(boolean on) {
        playing = on && frames != null;
        play.setSelection(playing);
        play.setText(playing ? "Pause" : "Play");
        if (playing) {
            tick();
        }
    }

    private void tick() {
        if (!playing || root.isDisposed() || frames == null) {
            return;
        }
        showFrame((frame + 1) % frames.frameCount());
        root.getDisplay().timerExec((int) Math.max(10, 1000 / frames.frameRate()), this::tick);
    }

    private void showSelected() {
        // the selected node, else the last node with frames: after a run the artist sees its result at once
        FrameFolder next = studio.document().selectedNode().isPresent()
                ? studio.document().selectedNode().flatMap(n -> FrameFolder.firstOf(studio.outputs().of(n.id())))
                        .orElse(null)
                : studio.document().graph().nodes().reversed().stream()
                        .flatMap(n -> FrameFolder.firstOf(studio.outputs().of(n.id())).stream()).findFirst()
                        .orElse(null);
        caption = studio.document().selectedNode().map(n -> studio.outputs().of(n.id()).isEmpty()
                ? n.id() + " has not run yet." : textOf(n.id()).orElse(n.id() + " has no frames to show."))
                .orElse("Select a node that has run to see its output.");
        if (java.util.Objects.equals(next, frames)) {
            canvas.redraw(); // the caption may have changed (the node ran, or another was selected)
            return;
        }
        frames = next;
        setPlaying(false);
        timeline.setEnabled(frames != null);
        timeline.setMaximum(frames == null ? 1 : Math.max(1, frames.frameCount() - 1));
        frame = -1;
        showFrame(0);
    }

    /** The start of a node's text output (captions, reports), to show in place of frames. */
    private java.util.Optional<String> textOf(String nodeId) {
        return FrameFolder.firstText(studio.outputs().of(nodeId)).map(p -> {
            try (var lines = java.nio.file.Files.lines(p)) {
                return lines.limit(20).collect(java.util.stream.Collectors.joining("\n"));
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return p.getFileName() + " cannot be read: " + e.getMessage();
            }
        });
    }

    public String caption() {
        return caption;
    }

    /** Shows frame {@code index} of the current frames, if any. */
    public void showFrame(int index) {
        if (image != null) {
            image.dispose();
            image = null;
        }
        if (frames == null) {
            frame = -1;
            position.setText("");
        } else {
            frame = Math.max(0, Math.min(index, frames.frameCount() - 1));
            try {
                image = new Image(root.getDisplay(), frames.frame(frame).toString());
            } catch (RuntimeException e) {
                caption = "frame " + frame + " cannot be read: " + e.getMessage();
            }
            timeline.setSelection(frame);
            position.setText(String.format("%d / %d  %.0f fps", frame + 1, frames.frameCount(),
                    frames.frameRate()));
        }
        canvas.redraw();
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(BACKGROUND);
        gc.fillRectangle(area);
        if (image == null) {
            gc.setForeground(TEXT);
            org.eclipse.swt.graphics.Point ext = gc.textExtent(caption);
            gc.drawText(caption, (area.width - ext.x) / 2, (area.height - ext.y) / 2, true);
            return;
        }
        Rectangle b = image.getBounds();
        double scale = Math.min((double) area.width / b.width, (double) area.height / b.height);
        int w = (int) (b.width * scale);
        int h = (int) (b.height * scale);
        gc.setInterpolation(SWT.HIGH);
        gc.drawImage(image, 0, 0, b.width, b.height, (area.width - w) / 2, (area.height - h) / 2, w, h);
    }
}
