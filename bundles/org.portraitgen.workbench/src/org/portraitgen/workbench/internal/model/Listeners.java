package org.portraitgen.workbench.internal.model;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A thread-safe list of plain callbacks, for models that change on framework or executor threads. */
public final class Listeners {
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

    public void add(Runnable r) {
        callbacks.add(r);
    }

    public void remove(Runnable r) {
        callbacks.remove(r);
    }

    public void fire() {
        callbacks.forEach(Runnable::run);
    }
}
