package org.portraitgen.edit.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.internal.train.Checkpoints;

/**
 * The edited key frames the field is being trained on, with the step they were made at: the editing loop's dataset,
 * checkpointed beside the field. Big-endian, ending in a CRC-32C; written to a temporary file, forced and moved into
 * place, so a kill leaves the old or the new file.
 */
public record EditTargets(long madeAt, List<Integer> frames, List<FloatImage> images) {
    private static final long MAGIC = 0x50_47_45_44_49_54_31_00L; // "PGEDIT1\0"

    public EditTargets {
        frames = List.copyOf(frames);
        images = List.copyOf(images);
        if (frames.size() != images.size()) {
            throw new IllegalArgumentException(frames.size() + " frames but " + images.size() + " images");
        }
    }

    public void write(Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        out.writeLong(madeAt);
        out.writeInt(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            FloatImage img = images.get(i);
            out.writeInt(frames.get(i));
            out.writeInt(img.width());
            out.writeInt(img.height());
            out.writeInt(img.channels());
            for (float v : img.data()) {
                out.writeFloat(v);
            }
        }
        out.flush();
        Checkpoints.writeChecksummed(file, bytes.toByteArray());
    }

    /** @throws IOException naming the file, when it is truncated, corrupt or not an edit checkpoint */
    public static EditTargets read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 28) {
            throw new IOException("edit checkpoint " + file + " is truncated (" + all.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        ByteBuffer in = ByteBuffer.wrap(all, 0, all.length - 8);
        if (all.length - 8 < 0 || ByteBuffer.wrap(all, all.length - 8, 8).getLong() != crc.getValue()) {
            throw new IOException("edit checkpoint " + file + " is corrupt: checksum mismatch");
        }
        if (in.getLong() != MAGIC) {
            throw new IOException(file + " is not a PortraitGen edit checkpoint");
        }
        try {
            long madeAt = in.getLong();
            int n = in.getInt();
            List<Integer> frames = new ArrayList<>();
            List<FloatImage> images = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                frames.add(in.getInt());
                int w = in.getInt(), h = in.getInt(), c = in.getInt();
                if (w < 1 || h < 1 || c < 1 || (long) w * h * c * 4 > in.remaining()) {
                    throw new IOException("edit checkpoint " + file + " is inconsistent: image " + i + " of " + w
                            + "x" + h + "x" + c);
                }
                float[] d = new float[w * h * c];
                in.asFloatBuffer().get(d);
                in.position(in.position() + 4 * d.length);
                images.add(new FloatImage(w, h, c, d));
            }
            return new EditTargets(madeAt, frames, images);
        } catch (java.nio.BufferUnderflowException e) {
            throw new IOException("edit checkpoint " + file + " is truncated", e);
        }
    }
}
