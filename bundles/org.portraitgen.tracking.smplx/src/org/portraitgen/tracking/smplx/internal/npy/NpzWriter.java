package org.portraitgen.tracking.smplx.internal.npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Writes {@code .npz} files as {@code np.savez_compressed} does (version 1.0 headers, C order, deflated). */
public final class NpzWriter {

    private final Map<String, byte[]> arrays = new LinkedHashMap<>();

    public NpzWriter f8(String name, double[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return put(name, "<f8", false, shape, b.array(), values.length);
    }

    public NpzWriter f4(String name, float[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return put(name, "<f4", false, shape, b.array(), values.length);
    }

    public NpzWriter i8(String name, long[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return put(name, "<i8", false, shape, b.array(), values.length);
    }

    public NpzWriter i4(String name, int[] values, int... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return put(name, "<i4", false, shape, b.array(), values.length);
    }

    /** Any header and data as given: tests use it for Fortran order and dtypes this class does not produce. */
    public NpzWriter raw(String name, String descr, boolean fortranOrder, int[] shape, byte[] data) {
        arrays.put(name, npy(descr, fortranOrder, shape, data));
        return this;
    }

    private NpzWriter put(String name, String descr, boolean fortran, int[] shape, byte[] data, int count) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException(name + ": " + count + " values for shape " + java.util.Arrays.toString(shape));
        }
        return raw(name, descr, fortran, shape, data);
    }

    /** One {@code .npy} file's bytes. */
    public static byte[] npy(String descr, boolean fortranOrder, int[] shape, byte[] data) {
        StringBuilder s = new StringBuilder("(");
        for (int d : shape) {
            s.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : shape.length == 0 ? "()" : s.substring(0, s.length() - 2) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortranOrder ? "True" : "False")
                + ", 'shape': " + shapeText + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64; // NumPy aligns the data to 64 bytes
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0 });
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    public void write(OutputStream out) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, byte[]> e : arrays.entrySet()) {
            zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
            zip.write(e.getValue());
            zip.closeEntry();
        }
        zip.finish();
    }

    /** Writes atomically: a temporary file beside {@code file}, then a rename. */
    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try (OutputStream out = Files.newOutputStream(tmp)) {
            write(out);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
