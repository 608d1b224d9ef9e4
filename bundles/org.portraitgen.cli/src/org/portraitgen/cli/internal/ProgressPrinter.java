package org.portraitgen.cli.internal;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

import org.portraitgen.api.pipeline.NodeState;
import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunListener;

/**
 * Shows a run's progress: on a terminal one redrawn bar per run with the running node and its ETA; otherwise (a log
 * file, a farm worker) plain lines, at most one progress line per node per 10 %.
 */
final class ProgressPrinter implements RunListener {

    private static final int BAR = 30;

    private final PrintWriter out;
    private final boolean terminal;
    private final Map<String, Double> fractions = new LinkedHashMap<>();
    private final Map<String, Integer> lastDecile = new LinkedHashMap<>();
    private final int nodeCount;
    private boolean barShown;

    ProgressPrinter(PrintWriter out, boolean terminal, int nodeCount) {
        this.out = out;
        this.terminal = terminal;
        this.nodeCount = Math.max(1, nodeCount);
    }

    @Override
    public synchronized void onEvent(RunEvent e) {
        if (e.nodeId() == null) {
            return;
        }
        switch (e.kind()) {
            case STATE -> {
                if (e.state() == NodeState.WAITING) {
                    fractions.putIfAbsent(e.nodeId(), 0.0);
                    return;
                }
                if (e.state().isFinal()) {
                    fractions.put(e.nodeId(), 1.0);
                }
                line(String.format("%-12s %-9s%s", e.nodeId(), e.state().name().toLowerCase(),
                        e.message() == null ? "" : "  " + e.message()));
            }
            case PROGRESS -> {
                fractions.put(e.nodeId(), e.fraction());
                if (terminal) {
                    drawBar(e);
                } else {
                    int decile = (int) (e.fraction() * 10);
                    if (lastDecile.getOrDefault(e.nodeId(), -1) < decile) {
                        lastDecile.put(e.nodeId(), decile);
                        line(String.format("%-12s %3.0f%% %s%s", e.nodeId(), 100 * e.fraction(),
                                e.message() == null ? "" : e.message(), eta(e.etaSeconds())));
                    }
                }
            }
            case METRIC -> line(String.format("%-12s %s[%d] = %.5g", e.nodeId(), e.metricName(), e.step(),
                    e.value()));
            case LOG -> {
                // logs go to the node's log file; the terminal shows progress and failures
            }
        }
    }

    private void drawBar(RunEvent e) {
        double total = fractions.values().stream().mapToDouble(Double::doubleValue).sum() / nodeCount;
        int filled = (int) Math.round(total * BAR);
        out.print("\r[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3.0f%%",
                100 * total) + "  " + e.nodeId() + " " + (e.message() == null ? "" : e.message())
                + eta(e.etaSeconds()) + "\u001b[K");
        out.flush();
        barShown = true;
    }

    private void line(String text) {
        if (barShown) {
            out.print("\r\u001b[K");
            barShown = false;
        }
        out.println(text);
        out.flush();
    }

    private static String eta(double seconds) {
        if (seconds < 0) {
            return "";
        }
        long s = Math.round(seconds);
        return s >= 60 ? String.format("  ETA %dm%02ds", s / 60, s % 60) : String.format("  ETA %ds", s);
    }

    synchronized void finish() {
        if (barShown) {
            out.println();
            barShown = false;
        }
    }
}
