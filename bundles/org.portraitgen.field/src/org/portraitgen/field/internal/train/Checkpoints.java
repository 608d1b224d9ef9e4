package org.portraitgen.field.internal.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.zip.CRC32C;

import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.cnn.NeuralRenderer;
import org.portraitgen.field.internal.loss.Adam;
import org.portraitgen.field.internal.raster.Gaussians;

/**
 * Field checkpoints: binding, Gaussian parameters, renderer weights and (optionally) the optimiser state, in one
 * big-endian binary file ending in a CRC-32C of everything before it. Written to a temporary file in the same
 * folder, forced to disk and moved over the old one atomically, so a kill leaves either the old or the new file.
 */
public final class Checkpoints {
    private static final long MAGIC = 0x50_47_46_49_45_4C_44_31L; // "PGFIELD1"
    private static final int VERSION = 1;

    private Checkpoints() {
    }

    /** What a checkpoint holds. {@code adamStep} is 0 and moments are absent for a field saved without training. */
    public record Loaded(GaussianField field, long adamStep, double[][] moments) {
    }

    public static void write(Path file, GaussianField field, Adam adam) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        out.writeInt(VERSION);
        TriangleBinding b = field.binding;
        out.writeInt(b.vertexCount);
        ints(out, b.triangles);
        ints(out, b.triangleOf);
        doubles(out, b.barycentrics);
        Gaussians g = field.local;
        out.writeInt(g.count);
        out.writeInt(g.channels);
        for (double[] group : g.groups()) {
            doubles(out, group);
        }
        float[][] rp = field.renderer.parameters();
        out.writeInt(rp.length);
        for (float[] p : rp) {
            floats(out, p);
        }
        List<Adam.Group> groups = adam == null ? List.of() : adam.groups();
        out.writeLong(adam == null ? 0 : adam.step());
        out.writeInt(groups.size());
        for (Adam.Group group : groups) {
            doubles(out, group.m);
            doubles(out, group.v);
        }
        out.flush();
        writeChecksummed(file, bytes.toByteArray());
    }

    /**
     * Writes {@code body} and a CRC-32C of it (8 bytes, big-endian) atomically: to a temporary file beside
     * {@code file}, forced to disk, then renamed over it. Shared by every checksummed file the field and its
     * friends write (checkpoints, lift inputs, edit targets).
     */
    public static void writeChecksummed(Path file, byte[] body) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ch.write(ByteBuffer.wrap(body));
                ch.write(ByteBuffer.allocate(8).putLong(0, crc.getValue()));
                ch.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** @throws IOException with the file named, for a missing, truncated, corrupt or incompatible checkpoint */
    public static Loaded read(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        if (all.length < 20) {
            throw new IOException("checkpoint " + file + " is truncated (" + all.length + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new IOException("checkpoint " + file + " is corrupt: checksum mismatch (stored "
                    + Long.toHexString(stored) + ", computed " + Long.toHexString(crc.getValue()) + ")");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            if (in.readLong() != MAGIC) {
                throw new IOException(file + " is not a PortraitGen field checkpoint");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException("checkpoint " + file + " has format version " + version + ", this build reads "
                        + VERSION);
            }
            int vertexCount = in.readInt();
            int[] triangles = ints(in);
            int[] triangleOf = ints(in);
            double[] bary = doubles(in);
            TriangleBinding binding = new TriangleBinding(vertexCount, triangles, triangleOf, bary);
            int count = in.readInt();
            int channels = in.readInt();
            // refuse sizes the file cannot hold before allocating them: 11 + C doubles per Gaussian, then the renderer
            double needed = (11.0 + channels) * count * Double.BYTES
                    + (double) NeuralRenderer.parameterCount(channels) * Float.BYTES;
            if (count < 0 || channels < 1 || needed > in.available()) {
                throw new IOException("checkpoint " + file + " is inconsistent: " + count + " Gaussians of " + channels
                        + " channels do not fit in its " + all.length + " bytes");
            }
            Gaussians g = new Gaussians(count, channels);
            for (double[] group : g.groups()) {
                double[] stored2 = doubles(in);
                if (stored2.length != group.length) {
                    throw new IOException("checkpoint " + file + ": parameter group of " + stored2.length
                            + " values, expected " + group.length);
                }
                System.arraycopy(stored2, 0, group, 0, group.length);
            }
            NeuralRenderer r = new NeuralRenderer(channels);
            float[][] rp = r.parameters();
            if (in.readInt() != rp.length) {
                throw new IOException("checkpoint " + file + ": renderer has a different number of layers");
            }
            for (float[] p : rp) {
                float[] s = floats(in);
                if (s.length != p.length) {
                    throw new IOException("checkpoint " + file + ": renderer layer of " + s.length + " values, expected "
                            + p.length);
                }
                System.arraycopy(s, 0, p, 0, p.length);
            }
            long step = in.readLong();
            int groups = in.readInt();
            if (groups < 0 || groups > in.available() / 8) { // two arrays of at least their 4-byte length each
                throw new IOException("checkpoint " + file + " is corrupt: " + groups + " optimiser groups");
            }
            double[][] moments = new double[2 * groups][];
            for (int i = 0; i < 2 * groups; i++) {
                moments[i] = doubles(in);
            }
            return new Loaded(new GaussianField(binding, g, r), step, moments);
        } catch (EOFException e) {
            throw new IOException("checkpoint " + file + " is truncated", e);
        } catch (BadLengthException e) {
            throw new IOException("checkpoint " + file + " is corrupt: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException("checkpoint " + file + " is inconsistent: " + e.getMessage(), e);
        }
    }

    /** Restores optimiser moments saved with the field into a trainer built on that field. */
    public static void restore(Loaded loaded, Adam adam) throws IOException {
        List<Adam.Group> groups = adam.groups();
        if (loaded.moments().length != 2 * groups.size()) {
            throw new IOException("checkpoint has optimiser state for " + loaded.moments().length / 2
                    + " groups, the trainer has " + groups.size());
        }
        for (int i = 0; i < groups.size(); i++) {
            Adam.Group g = groups.get(i);
            if (loaded.moments()[2 * i].length != g.m.length) {
                throw new IOException("checkpoint optimiser group '" + g.name + "' has a different size");
            }
            System.arraycopy(loaded.moments()[2 * i], 0, g.m, 0, g.m.length);
            System.arraycopy(loaded.moments()[2 * i + 1], 0, g.v, 0, g.v.length);
        }
        adam.setStep(loaded.adamStep());
    }

    private static void ints(DataOutputStream out, int[] a) throws IOException {
        out.writeInt(a.length);
        for (int v : a) {
            out.writeInt(v);
        }
    }

    private static void doubles(DataOutputStream out, double[] a) throws IOException {
        out.writeInt(a.length);
        for (double v : a) {
            out.writeDouble(v);
        }
    }

    private static void floats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        for (float v : a) {
            out.writeFloat(v);
        }
    }

    /** An array length the rest of the file cannot hold; {@link #read} adds the file name. */
    private static final class BadLengthException extends IOException {
        private static final long serialVersionUID = 1L;

        BadLengthException(String message) {
            super(message);
        }
    }

    private static int length(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > in.available() + 1) {
            throw new BadLengthException("array length " + n + " exceeds the file");
        }
        return n;
    }

    private static int[] ints(DataInputStream in) throws IOException {
        int[] a = new int[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readInt();
        }
        return a;
    }

    private static double[] doubles(DataInputStream in) throws IOException {
        double[] a = new double[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readDouble();
        }
        return a;
    }

    private static float[] floats(DataInputStream in) throws IOException {
        float[] a = new float[length(in)];
        for (int i = 0; i < a.length; i++) {
            a[i] = in.readFloat();
        }
        return a;
    }
}
