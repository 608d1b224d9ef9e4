package org.portraitgen.workbench.internal.viewport;

import static org.lwjgl.opengl.GL11.*;

import java.nio.ByteBuffer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.opengl.GLCanvas;
import org.eclipse.swt.opengl.GLData;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GLCapabilities;

/**
 * The viewport's OpenGL canvas: SWT's {@link GLCanvas} (GLX on X11) with LWJGL bindings. Each layer is a texture,
 * drawn as a fitted quad with the fixed-function pipeline, which every GL context here offers (llvmpipe included).
 * All GL calls run on the display thread, where the canvas's context is made current before each use.
 */
final class GlViewportSurface implements ViewportSurface {
    private static final int AFTER = 0;
    private static final int BEFORE = 1;
    private static final int OVERLAY = 2;
    private final GLCanvas canvas;
    private final GLCapabilities capabilities;
    private final int[] textures = new int[3];
    private final Picture[] layers = new Picture[3];
    private final String description;
    private double split;

    /** @throws org.eclipse.swt.SWTException or a LWJGL error when no GL context can be created */
    GlViewportSurface(Composite parent) {
        GLData data = new GLData();
        data.doubleBuffer = true;
        data.redSize = 8;
        data.greenSize = 8;
        data.blueSize = 8;
        canvas = new GLCanvas(parent, SWT.NO_BACKGROUND, data);
        try {
            canvas.setCurrent();
            capabilities = GL.createCapabilities();
            glGenTextures(textures);
            description = "OpenGL " + glGetString(GL_VERSION) + " (" + glGetString(GL_RENDERER) + ")";
        } catch (RuntimeException | Error e) {
            canvas.dispose();
            throw e;
        }
        canvas.addListener(SWT.Paint, e -> render());
        canvas.addListener(SWT.Resize, e -> canvas.redraw());
        canvas.addListener(SWT.Dispose, e -> {
            makeCurrent();
            glDeleteTextures(textures);
            GL.setCapabilities(null);
        });
    }

    @Override
    public Control control() {
        return canvas;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public void show(Picture after, Picture before, Picture overlay, double split) {
        this.split = split;
        makeCurrent();
        upload(AFTER, after);
        upload(BEFORE, before);
        upload(OVERLAY, overlay);
        canvas.redraw();
    }

    private void makeCurrent() {
        canvas.setCurrent();
        GL.setCapabilities(capabilities);
    }

    private void upload(int layer, Picture p) {
        if (p == layers[layer]) {
            return; // unchanged: scrubbing the split or orbiting re-uploads only what changed
        }
        layers[layer] = p;
        if (p == null) {
            return;
        }
        glBindTexture(GL_TEXTURE_2D, textures[layer]);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, p.width(), p.height(), 0, GL_RGBA, GL_UNSIGNED_BYTE, p.direct());
    }

    /** Draws the layers into the back buffer; {@link #render()} then shows it. */
    private void draw() {
        Rectangle area = canvas.getClientArea();
        int w = Math.max(1, area.width);
        int h = Math.max(1, area.height);
        makeCurrent();
        glViewport(0, 0, w, h);
        glClearColor(18 / 255f, 18 / 255f, 20 / 255f, 1);
        glClear(GL_COLOR_BUFFER_BIT);
        Picture after = layers[AFTER];
        if (after == null) {
            return;
        }
        glMatrixMode(GL_PROJECTION);
        glLoadIdentity();
        glOrtho(0, w, h, 0, -1, 1); // y down, as SWT
        glMatrixMode(GL_MODELVIEW);
        glLoadIdentity();
        glEnable(GL_TEXTURE_2D);
        glColor4f(1, 1, 1, 1);
        int[] fit = after.fitIn(w, h);
        quad(AFTER, fit);
        int splitX = fit[0] + (int) Math.round(split * fit[2]);
        if (split > 0 && layers[BEFORE] != null) {
            glEnable(GL_SCISSOR_TEST);
            glScissor(0, 0, splitX, h); // GL's window origin is bottom-left; x is the same
            quad(BEFORE, fit);
            glDisable(GL_SCISSOR_TEST);
        }
        if (layers[OVERLAY] != null) {
            glEnable(GL_BLEND);
            glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
            quad(OVERLAY, fit);
            glDisable(GL_BLEND);
        }
        glDisable(GL_TEXTURE_2D);
        if (split > 0 && layers[BEFORE] != null) {
            glColor4f(0.95f, 0.78f, 0.35f, 1); // the split line in the accent colour of the graph's selection
            glLineWidth(2);
            glBegin(GL_LINES);
            glVertex2f(splitX, fit[1]);
            glVertex2f(splitX, fit[1] + fit[3]);
            glEnd();
        }
    }

    private void quad(int layer, int[] fit) {
        glBindTexture(GL_TEXTURE_2D, textures[layer]);
        glBegin(GL_QUADS);
        glTexCoord2f(0, 0);
        glVertex2f(fit[0], fit[1]);
        glTexCoord2f(1, 0);
        glVertex2f(fit[0] + fit[2], fit[1]);
        glTexCoord2f(1, 1);
        glVertex2f(fit[0] + fit[2], fit[1] + fit[3]);
        glTexCoord2f(0, 1);
        glVertex2f(fit[0], fit[1] + fit[3]);
        glEnd();
    }

    private void render() {
        draw();
        canvas.swapBuffers();
    }

    /**
     * Draws the layers and reads the back buffer before it is shown: what GL rendered, independent of the window
     * system's compositing. RGBA rows top to bottom.
     */
    Picture readBack() {
        draw();
        Rectangle area = canvas.getClientArea();
        int w = Math.max(1, area.width);
        int h = Math.max(1, area.height);
        ByteBuffer pixels = ByteBuffer.allocateDirect(4 * w * h);
        glPixelStorei(GL_PACK_ALIGNMENT, 1);
        glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
        canvas.swapBuffers();
        byte[] rows = new byte[4 * w * h];
        for (int y = 0; y < h; y++) { // GL rows are bottom to top
            pixels.get((h - 1 - y) * 4 * w, rows, y * 4 * w, 4 * w);
        }
        return new Picture(w, h, rows);
    }
}
