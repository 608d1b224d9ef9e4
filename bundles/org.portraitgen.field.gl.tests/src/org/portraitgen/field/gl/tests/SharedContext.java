package org.portraitgen.field.gl.tests;

import org.portraitgen.field.gl.GlContext;

/**
 * One context for the whole test run: opening one costs about a second on llvmpipe. A missing context is a test
 * FAILURE here (the exception propagates), never a skip: CI has Mesa llvmpipe, so no context means a broken setup.
 */
final class SharedContext {
    private static GlContext context;

    private SharedContext() {
    }

    static synchronized GlContext get() {
        if (context == null) {
            context = GlContext.open();
        }
        return context;
    }
}
