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
        shell.getDisplay().update();
        // the client area only: without a window manager (Xvfb) the bounds include undrawn trim
        Rectangle c = shell.getClientArea();
        org.eclipse.swt.graphics.Point origin = shell.toDisplay(c.x, c.y);
        Rectangle b = new Rectangle(origin.x, origin.y, c.width, c.height);
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
