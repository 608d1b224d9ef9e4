package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.DoubleConsumer;

/**
 * Writes a store's frames as a numbered PNG sequence in a new folder. The store's PNGs already are the lossless
 * frames, so they are copied byte for byte rather than decoded and re-encoded.
 */
final class PngSequenceWriter {

    private PngSequenceWriter() {
    }

    static void write(FrameStoreImpl frames, Path outputDir, DoubleConsumer progress) throws IOException {
        Path target = outputDir.toAbsolutePath().normalize();
        AtomicFiles.requireAbsentOrEmptyDir(target);
        Path temp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectory(temp);
            int n = frames.info().frameCount();
            for (int i = 0; i < n; i++) {
                Files.copy(frames.framePath(i), temp.resolve(Pngs.frameName(i)));
                progress.accept((i + 1) / (double) n);
            }
            AtomicFiles.publish(temp, target);
        } catch (IOException | RuntimeException | Error e) {
            AtomicFiles.deleteQuietly(temp, e);
            throw e;
        }
    }
}
