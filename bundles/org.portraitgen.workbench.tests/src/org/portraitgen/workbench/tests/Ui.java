package org.portraitgen.workbench.tests;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Widget;

/** Drives the real SWT event loop from the test thread, which owns the Display. */
final class Ui {
    private Ui() {
    }

    /** Runs the event loop until {@code condition} holds; fails after {@code timeout}. */
    static void until(BooleanSupplier condition, Duration timeout, String what) {
        Display display = Display.getCurrent();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            // a timer wakes sleep() so that conditions changed by other threads are seen
            display.timerExec(20, () -> { });
            if (!display.readAndDispatch()) {
                display.sleep();
            }
        }
    }

    static void until(BooleanSupplier condition, String what) {
        until(condition, Duration.ofSeconds(20), what);
    }

    /** Lets pending asyncExec and paint work run. */
    static void flush() {
        Display display = Display.getCurrent();
        for (int i = 0; i < 50 && display.readAndDispatch(); i++) {
            // drain
        }
    }

    static void fire(Widget w, int type) {
        w.notifyListeners(type, new Event());
    }

    static void mouse(Control c, int type, int x, int y) {
        Event e = new Event();
        e.x = x;
        e.y = y;
        e.button = 1;
        e.stateMask = type == SWT.MouseMove ? SWT.BUTTON1 : 0;
        c.notifyListeners(type, e);
    }
}
