package org.portraitgen.workbench.internal.viewport;

import org.eclipse.swt.widgets.Control;

/**
 * Where the viewport draws its layers: the OpenGL canvas, or an SWT image canvas where no GL context opens. The
 * picture is {@code after} fitted to the control; left of the split line {@code before} replaces it; the overlay
 * is blended on top.
 */
interface ViewportSurface {

    Control control();

    /**
     * @param after   the selected node's output (a frame or the field's render); null clears the surface
     * @param before  what went into the node at the same frame, or null
     * @param overlay a mask tinted with alpha, or null
     * @param split   where before ends, as a fraction of the picture's width; 0 when the split is off
     */
    void show(Picture after, Picture before, Picture overlay, double split);

    /** "OpenGL 4.5 (llvmpipe)" or why there is none. */
    String description();
}
