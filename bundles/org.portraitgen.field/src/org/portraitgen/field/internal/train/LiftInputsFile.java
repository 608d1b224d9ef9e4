package org.portraitgen.field.internal.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

/**
 * The lift inputs file: the magic "PGLIFTI1", a version, a deflated body and a CRC-32C of everything before it
 * (big-endian). Images are stored as 8-bit (round(255 v), the precision of the decoded video and matte), each row as
 * differences to its left neighbour, which deflate compresses about twice as well as the raw bytes.
 */
final class LiftInputsFile {
    private static final long MAGIC = 0x50_47_4C_49_46_54_49_31L; // "PGLIFTI1"
    private static final int VERSION = 1;

    private LiftInputsFile() {
    }

    /** Writes the file atomically (temporary file beside it, forced to disk, then renamed over it). */
    static void write(LiftInputs inputs, Path file) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream head = new DataOutputStream(bytes);
        head.writeLong(MAGIC);
        head.writeInt(VERSION);
        head.flush();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try {
            DataOutputStream out = new DataOutputStream(new DeflaterOutputStream(bytes, deflater, 1 << 16));
            int w = inputs.width();
            int h = inputs.height();
            out.writeInt(w);
            out.writeInt(h);
            out.writeInt(inputs.frames().size());
            out.writeBoolean(inputs.hasMasks());
            out.writeInt(inputs.vertexCount());
            out.writeInt(inputs.triangles().length);
            for (int t : inputs.triangles()) {
                out.writeInt(t);
            }
            for (float u : inputs.uvs()) {
                out.writeFloat(u);
            }
            for (TrainingFrame f : inputs.frames()) {
                RigState s = f.state();
                out.writeInt(s.frame());
                out.writeBoolean(s.tracked());
                Camera c = s.camera();
                for (double d : new double[] {c.fx(), c.fy(), c.cx(), c.cy()}) {
                    out.writeDouble(d);
                }
                for (double d : c.rotation()) {
                    out.writeDouble(d);
                }
                for (double d : c.translation()) {
                    out.writeDouble(d);
                }
                for (float v : s.vertices()) {
                    out.writeFloat(v);
                }
                float[] e = s.expression();
                out.writeInt(e == null ? -1 : e.length);
                if (e != null) {
                    for (float v : e) {
                        out.writeFloat(v);
                    }
                }
                out.write(quantise(f.rgb()));
                if (f.mask() != null) {
                    out.write(quantise(f.mask()));
                }
            }
            out.close();
        } finally {
            deflater.end();
        }
        Checkpoints.writeChecksummed(file, bytes.toByteArray());
    }

    /** @throws IOException naming the file, for a missing, truncated, corrupt or foreign file */
    static LiftInputs read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IOException("lift inputs file " + file + " does not exist", e);
        }
        if (all.length < 20 || ByteBuffer.wrap(all).getLong(0) != MAGIC) {
            throw new IOException("lift inputs file " + file + " is not a lift inputs file (no PGLIFTI1 header)");
        }
        int version = ByteBuffer.wrap(all).getInt(8);
        if (version != VERSION) {
            throw new IOException("lift inputs file " + file + " has version " + version + ", this reads "
                    + VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all).getLong(all.length - 8)) {
            throw new IOException("lift inputs file " + file + " is corrupt (checksum mismatch; truncated or damaged)");
        }
        try (DataInputStream in = new DataInputStream(new InflaterInputStream(
                new ByteArrayInputStream(all, 12, all.length - 20), new Inflater(), 1 << 16))) {
            return read(in);
        } catch (EOFException | ZipException | IllegalArgumentException e) {
            throw new IOException("lift inputs file " + file + " is corrupt: " + e.getMessage(), e);
        }
    }

    private static LiftInputs read(DataInputStream in) throws IOException {
        int w = positive(in.readInt(), "width");
        int h = positive(in.readInt(), "height");
        int n = positive(in.readInt(), "frame count");
        boolean masks = in.readBoolean();
        int vertexCount = positive(in.readInt(), "vertex count");
        int[] triangles = new int[positive(in.readInt(), "triangle index count")];
        for (int i = 0; i < triangles.length; i++) {
            triangles[i] = in.readInt();
        }
        float[] uvs = floats(in, 2 * vertexCount);
        List<TrainingFrame> frames = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int frame = in.readInt();
            boolean tracked = in.readBoolean();
            double fx = in.readDouble();
            double fy = in.readDouble();
            double cx = in.readDouble();
            double cy = in.readDouble();
            double[] rotation = new double[9];
            for (int k = 0; k < 9; k++) {
                rotation[k] = in.readDouble();
            }
            double[] translation = new double[3];
            for (int k = 0; k < 3; k++) {
                translation[k] = in.readDouble();
            }
            float[] vertices = floats(in, 3 * vertexCount);
            int e = in.readInt();
            float[] expression = e < 0 ? null : floats(in, e);
            FloatImage rgb = dequantise(in, w, h, 3);
            FloatImage mask = masks ? dequantise(in, w, h, 1) : null;
            RigState state = new RigState(frame, new Camera(w, h, fx, fy, cx, cy, rotation, translation), vertices,
                    expression, tracked);
            frames.add(new TrainingFrame(state, rgb, mask));
        }
        if (in.read() != -1) {
            throw new IOException("data after the last frame");
        }
        return new LiftInputs(vertexCount, triangles, uvs, frames);
    }

    private static int positive(int v, String what) throws IOException {
        if (v < 1 || v > 1 << 28) {
            throw new IOException(what + " " + v + " is out of range");
        }
        return v;
    }

    private static float[] floats(DataInputStream in, int n) throws IOException {
        if (n > 1 << 28) {
            throw new IOException("array of " + n + " floats is out of range");
        }
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }

    /** 8-bit values, each row as differences to the left neighbour (mod 256). */
    static byte[] quantise(FloatImage image) {
        float[] d = image.data();
        byte[] out = new byte[d.length];
        int w = image.width();
        for (int row = 0; row < d.length / w; row++) {
            int left = 0;
            for (int x = 0; x < w; x++) {
                int i = row * w + x;
                int q = Math.round(Math.min(1f, Math.max(0f, d[i])) * 255f);
                out[i] = (byte) (q - left);
                left = q;
            }
        }
        return out;
    }

    private static FloatImage dequantise(DataInputStream in, int w, int h, int channels) throws IOException {
        byte[] bytes = new byte[w * h * channels];
        in.readFully(bytes);
        float[] d = new float[bytes.length];
        for (int row = 0; row < h * channels; row++) {
            int q = 0;
            for (int x = 0; x < w; x++) {
                int i = row * w + x;
                q = (q + bytes[i]) & 0xFF;
                d[i] = q / 255f;
            }
        }
        return new FloatImage(w, h, channels, d);
    }
}
