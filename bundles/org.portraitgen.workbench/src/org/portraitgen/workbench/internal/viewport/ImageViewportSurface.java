package org.portraitgen.workbench.internal.viewport;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;

/** The viewport without OpenGL: the same layers drawn with SWT's GC, for displays that offer no GL context. */
final class ImageViewportSurface implements ViewportSurface {
    private final Canvas canvas;
    private final String reason;
    private final Image[] images = new Image[3];
    private final Picture[] layers = new Picture[3];
    private double split;

    ImageViewportSurface(Composite parent, String whyNoGl) {
        reason = "SWT image canvas (no OpenGL: " + whyNoGl + ")";
        canvas = new Canvas(parent, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
        canvas.addListener(SWT.Paint, e -> paint(e.gc));
        canvas.addListener(SWT.Dispose, e -> {
            for (Image i : images) {
                if (i != null) {
                    i.dispose();
                }
            }
        });
    }

    @Override
    public Control control() {
        return canvas;
    }

    @Override
    public String description() {
        return reason;
    }

    @Override
    public void show(Picture after, Picture before, Picture overlay, double split) {
        this.split = split;
        Picture[] next = {after, before, overlay};
        for (int i = 0; i < 3; i++) {
            if (next[i] != layers[i]) {
                if (images[i] != null) {
                    images[i].dispose();
                }
                layers[i] = next[i];
                images[i] = next[i] == null ? null : new Image(canvas.getDisplay(), imageData(next[i]));
            }
        }
        canvas.redraw();
    }

    private static ImageData imageData(Picture p) {
        ImageData d = new ImageData(p.width(), p.height(), 24, new PaletteData(0xff0000, 0xff00, 0xff));
        byte[] alpha = new byte[p.width() * p.height()];
        byte[] rgba = p.rgba();
        for (int i = 0; i < alpha.length; i++) {
            d.setPixel(i % p.width(), i / p.width(),
                    (rgba[4 * i] & 0xff) << 16 | (rgba[4 * i + 1] & 0xff) << 8 | rgba[4 * i + 2] & 0xff);
            alpha[i] = rgba[4 * i + 3];
        }
        d.alphaData = alpha;
        return d;
    }

    private void paint(GC gc) {
        Rectangle area = canvas.getClientArea();
        gc.setBackground(canvas.getDisplay().getSystemColor(SWT.COLOR_BLACK));
        gc.fillRectangle(area);
        if (images[0] == null) {
            return;
        }
        int[] fit = layers[0].fitIn(area.width, area.height);
        gc.setInterpolation(SWT.HIGH);
        draw(gc, 0, fit);
        int splitX = fit[0] + (int) Math.round(split * fit[2]);
        if (split > 0 && images[1] != null) {
            gc.setClipping(0, 0, splitX, area.height);
            draw(gc, 1, fit);
            gc.setClipping((Rectangle) null);
            gc.setForeground(canvas.getDisplay().getSystemColor(SWT.COLOR_YELLOW));
            gc.setLineWidth(2);
            gc.drawLine(splitX, fit[1], splitX, fit[1] + fit[3]);
        }
        if (images[2] != null) {
            draw(gc, 2, fit);
        }
    }

    private void draw(GC gc, int layer, int[] fit) {
        Rectangle b = images[layer].getBounds();
        gc.drawImage(images[layer], 0, 0, b.width, b.height, fit[0], fit[1], fit[2], fit[3]);
    }
}
