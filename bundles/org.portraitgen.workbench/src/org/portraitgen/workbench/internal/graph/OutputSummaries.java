package org.portraitgen.workbench.internal.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.portraitgen.workbench.internal.model.FrameFolder;

/**
 * The line a node without frames shows in its thumbnail area. Paint-time file reads are cached: outputs in the run
 * cache never change once written.
 */
final class OutputSummaries {
    private final Map<Path, String> textCache = new HashMap<>();
    private final Map<Map<String, Path>, String> summaries = new HashMap<>();

    String of(Map<String, Path> outs) {
        return summaries.computeIfAbsent(outs, this::summarize);
    }

    private String summarize(Map<String, Path> outs) {
        return FrameFolder.firstText(outs).map(p -> textCache.computeIfAbsent(p, f -> {
            try {
                return Files.readString(f);
            } catch (IOException ex) {
                return null;
            }
        })).orElseGet(() -> outs.values().stream().flatMap(dir -> {
            try (var files = Files.list(dir)) {
                return files.filter(Files::isRegularFile).toList().stream();
            } catch (IOException ex) {
                return java.util.stream.Stream.empty();
            }
        }).findFirst().map(f -> {
            try {
                return f.getFileName() + String.format("  %.1f MB", Files.size(f) / 1e6);
            } catch (IOException ex) {
                return f.getFileName().toString();
            }
        }).orElse(null));
    }
}
