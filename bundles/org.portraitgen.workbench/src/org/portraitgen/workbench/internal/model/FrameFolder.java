package org.portraitgen.workbench.internal.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A frame store folder as written by {@code org.portraitgen.api.video.FrameStore}: {@code frames.json} plus
 * {@code 000000.png}, ... Read here without the video bundle, since the viewport needs only the file names and
 * the frame rate.
 */
public record FrameFolder(Path directory, int frameCount, double frameRate) {

    private static final Pattern RATE = Pattern.compile("\"frameRate\"\\s*:\\s*([0-9.eE+-]+)");
    private static final Pattern COUNT = Pattern.compile("\"frameCount\"\\s*:\\s*(\\d+)");

    public Path frame(int index) {
        return directory.resolve(String.format("%06d.png", index));
    }

    /** The first output folder that holds frames, preferring ports named like frames. */
    public static Optional<FrameFolder> firstOf(Map<String, Path> outputs) {
        return outputs.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> read(e.getValue())).flatMap(Optional::stream).findFirst();
    }

    public static Optional<FrameFolder> read(Path dir) {
        Path json = dir.resolve("frames.json");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(dir.resolve("000000.png"))) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(json);
            Matcher rate = RATE.matcher(text);
            Matcher count = COUNT.matcher(text);
            int frames = count.find() ? Integer.parseInt(count.group(1)) : countPngs(dir);
            return Optional.of(new FrameFolder(dir, frames, rate.find() ? Double.parseDouble(rate.group(1)) : 25));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static int countPngs(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return (int) files.filter(p -> p.getFileName().toString().matches("\\d{6}\\.png")).count();
        }
    }

    /** The first text file among the outputs, for nodes that produce text rather than frames. */
    public static Optional<Path> firstText(Map<String, Path> outputs) {
        for (Path dir : outputs.values()) {
            try (Stream<Path> files = Files.list(dir)) {
                Optional<Path> txt = files.filter(p -> p.toString().endsWith(".txt")).findFirst();
                if (txt.isPresent()) {
                    return txt;
                }
            } catch (IOException e) {
                // a folder removed from the cache meanwhile: nothing to show
            }
        }
        return Optional.empty();
    }
}
