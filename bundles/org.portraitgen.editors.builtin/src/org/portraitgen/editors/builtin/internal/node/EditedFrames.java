package org.portraitgen.editors.builtin.internal.node;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.portraitgen.api.image.FloatImage;

/**
 * The frames {@code editor.apply} has finished, kept in the node's checkpoint folder as raw little-endian float32 RGB
 * (exactly what was edited, so a resumed run's output equals an uninterrupted one's), one file per frame written
 * through a temporary file and a rename: a kill loses at most the frame being edited. The run cache drops the folder
 * once the node's result is committed.
 */
final class EditedFrames {

    private final Path dir;
    private final int width;
    private final int height;

    EditedFrames(Path dir, int width, int height) {
        this.dir = dir;
        this.width = width;
        this.height = height;
    }

    private Path file(int index) {
        return dir.resolve(String.format("edited-%06d.f32", index));
    }

    /** The kept frame, or null when it was not finished (or is not of this size: then it is edited again). */
    FloatImage read(int index) throws IOException {
        Path f = file(index);
        if (!Files.isRegularFile(f) || Files.size(f) != (long) width * height * 3 * Float.BYTES) {
            return null;
        }
        float[] data = new float[width * height * 3];
        ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new FloatImage(width, height, 3, data);
    }

    void write(int index, FloatImage image) throws IOException {
        if (image.width() != width || image.height() != height || image.channels() != 3) {
            return; // the writer refuses it with its own message; nothing worth keeping
        }
        ByteBuffer b = ByteBuffer.allocate(image.data().length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(image.data());
        Path f = file(index);
        Files.createDirectories(dir);
        Path tmp = f.resolveSibling(f.getFileName() + ".tmp");
        Files.write(tmp, b.array());
        Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
