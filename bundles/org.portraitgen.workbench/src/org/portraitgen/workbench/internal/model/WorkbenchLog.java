package org.portraitgen.workbench.internal.model;

import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The session's log: run events, installs, saves. Any thread may write; listeners hop to the UI thread. */
public final class WorkbenchLog {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
    private static final int KEEP = 5000;
    private final List<String> lines = new ArrayList<>();
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    public void info(String message) {
        String line = TIME.format(LocalTime.now()) + "  " + message;
        synchronized (lines) {
            lines.add(line);
            if (lines.size() > KEEP) {
                lines.remove(0);
            }
        }
        listeners.forEach(l -> l.accept(line));
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public void addListener(Consumer<String> l) {
        listeners.add(l);
    }

    public void removeListener(Consumer<String> l) {
        listeners.remove(l);
    }
}
