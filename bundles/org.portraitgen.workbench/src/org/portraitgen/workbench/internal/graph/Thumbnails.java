package org.portraitgen.workbench.internal.graph;

import java.util.HashMap;
import java.util.Map;

import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;
import org.portraitgen.workbench.internal.model.FrameFolder;

/** Small images of each node's first output frame, made once per output folder and disposed with the canvas. */
final class Thumbnails {
    private final Display display;
    private final Map<String, Image> byFolder = new HashMap<>();

    Thumbnails(Display display) {
        this.display = display;
    }

    /** A thumbnail fitting {@code width x height}, or null when the frame cannot be read. */
    Image of(FrameFolder frames, int width, int height) {
        String key = frames.directory() + "@" + width + "x" + height;
        return byFolder.computeIfAbsent(key, k -> load(frames, width, height));
    }

    private Image load(FrameFolder frames, int width, int height) {
        try {
            ImageData data = new ImageData(frames.frame(0).toString());
            double scale = Math.min((double) width / data.width, (double) height / data.height);
            int w = Math.max(1, (int) (data.width * scale));
            int h = Math.max(1, (int) (data.height * scale));
            Image full = new Image(display, data);
            Image small = new Image(display, w, h);
            GC gc = new GC(small);
            gc.setInterpolation(org.eclipse.swt.SWT.HIGH);
            gc.drawImage(full, 0, 0, data.width, data.height, 0, 0, w, h);
            gc.dispose();
            full.dispose();
            return small;
        } catch (RuntimeException e) {
            return null; // unreadable frame: the node simply shows no thumbnail
        }
    }

    void dispose() {
        byFolder.values().stream().filter(i -> i != null).forEach(Image::dispose);
        byFolder.clear();
    }
}
