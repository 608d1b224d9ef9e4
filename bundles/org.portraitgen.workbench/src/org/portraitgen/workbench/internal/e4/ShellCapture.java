package org.portraitgen.workbench.internal.e4;

import java.nio.file.Files;
import java.nio.file.Path;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.ImageLoader;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.widgets.Shell;

/** Saves what a shell shows as a PNG, by copying its screen area (so it includes native widgets and charts). */
public final class ShellCapture {
    private ShellCapture() {
    }

    public static void save(Shell shell, Path png) {
        save(shell, png, false);
    }

    /**
     * @param withTrim the whole shell, menu bar included; else the client area only, since without a window
     *                 manager (Xvfb) the bounds also cover undrawn trim
     */
    public static void save(Shell shell, Path png, boolean withTrim) {
        shell.getDisplay().update();
        Rectangle c = shell.getClientArea();
        org.eclipse.swt.graphics.Point origin = shell.toDisplay(c.x, c.y);
        Rectangle b = withTrim ? shell.getBounds() : new Rectangle(origin.x, origin.y, c.width, c.height);
        Image img = new Image(shell.getDisplay(), b.width, b.height);
        GC gc = new GC(shell.getDisplay());
        try {
            gc.copyArea(img, b.x, b.y);
            ImageLoader loader = new ImageLoader();
            loader.data = new ImageData[] {img.getImageData()};
            Files.createDirectories(png.toAbsolutePath().getParent());
            loader.save(png.toString(), SWT.IMAGE_PNG);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            gc.dispose();
            img.dispose();
        }
    }
}
