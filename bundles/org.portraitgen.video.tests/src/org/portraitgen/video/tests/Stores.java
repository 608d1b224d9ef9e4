package org.portraitgen.video.tests;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;

/** Small frame stores built at test time, and checks on what a folder holds. */
final class Stores {

    private Stores() {
    }

    /** A store of {@code count} synthetic band frames at 25 fps. */
    static FrameStore synthetic(VideoIO io, Path dir, int width, int height, int count) throws Exception {
        try (FrameStoreWriter w = io.create(dir, width, height, 3, 25)) {
            for (int i = 0; i < count; i++) {
                BufferedImage frame = SyntheticVideo.frame(width, height, i);
                w.append(frame, i * 40_000L);
            }
            return w.finish();
        }
    }

    /** Names in a folder that look like leftovers of an interrupted write (hidden temp siblings). */
    static long hiddenEntries(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(".")).count();
        }
    }

    static long entries(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
