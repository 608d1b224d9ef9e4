package org.portraitgen.cli.internal;

import java.io.PrintWriter;

import org.portraitgen.api.pipeline.RunEvent;
import org.portraitgen.api.pipeline.RunListener;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A run's events as one JSON object per line: the protocol between a worker process and whoever started it. */
final class JsonLinesPrinter implements RunListener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;

    JsonLinesPrinter(PrintWriter out) {
        this.out = out;
    }

    @Override
    public synchronized void onEvent(RunEvent e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", e.kind().name());
        if (e.nodeId() != null) {
            o.put("node", e.nodeId());
        }
        if (e.state() != null) {
            o.put("state", e.state().name());
        }
        if (e.kind() == RunEvent.Kind.PROGRESS) {
            o.put("fraction", e.fraction());
            o.put("eta", e.etaSeconds());
        }
        if (e.message() != null) {
            o.put("message", e.message());
        }
        if (e.kind() == RunEvent.Kind.METRIC) {
            o.put("name", e.metricName());
            o.put("step", e.step());
            o.put("value", e.value());
        }
        out.println(o.toString());
        out.flush();
    }
}
