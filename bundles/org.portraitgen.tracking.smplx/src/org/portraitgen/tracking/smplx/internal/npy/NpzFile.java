package org.portraitgen.tracking.smplx.internal.npy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A {@code .npz} file (a zip of {@code NAME.npy} entries, stored or deflated, as {@code np.savez} and
 * {@code np.savez_compressed} write it) or a single {@code .npy}, read whole. Arrays are parsed when asked for, so an
 * object array the model loader never needs (SMPL-X files carry some) does not stop the load.
 */
public final class NpzFile {

    /** Entries above this are refused rather than read into memory (SMPL-X's largest is ~61 MB as float32). */
    static final long MAX_ENTRY_BYTES = 1L << 30;

    private final String fileName;
    private final Map<String, byte[]> entries;

    private NpzFile(String fileName, Map<String, byte[]> entries) {
        this.fileName = fileName;
        this.entries = entries;
    }

    public static NpzFile read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NpyFormatException(file + ": no such file");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), in);
        }
    }

    /** Reads from a stream; {@code fileName} names the file in errors. */
    public static NpzFile read(String fileName, InputStream in) throws IOException {
        Map<String, byte[]> entries = new TreeMap<>();
        if (fileName.endsWith(".npy")) {
            entries.put(fileName.substring(0, fileName.length() - 4), in.readAllBytes());
            return new NpzFile(fileName, entries);
        }
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry e;
            while ((e = zip.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                String n = e.getName();
                String key = n.endsWith(".npy") ? n.substring(0, n.length() - 4) : n;
                entries.put(key, readEntry(fileName, n, zip));
            }
        } catch (ZipException | java.io.EOFException e) {
            throw new NpyFormatException(fileName + ": not a readable .npz (zip) file: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) { // ZipInputStream on malformed entry names
            throw new NpyFormatException(fileName + ": malformed zip entry: " + e.getMessage(), e);
        } catch (NpyFormatException e) {
            throw e;
        } catch (IOException e) { // inflater and stream errors name neither the file nor the entry
            throw new NpyFormatException(fileName + ": unreadable .npz (zip) data: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new NpyFormatException(fileName + ": not a .npz file (no arrays; truncated or not a zip)");
        }
        return new NpzFile(fileName, entries);
    }

    private static byte[] readEntry(String fileName, String entry, InputStream zip) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = zip.read(buf)) > 0) {
            total += n;
            if (total > MAX_ENTRY_BYTES) {
                throw new NpyFormatException(fileName + ":" + entry + " is larger than " + MAX_ENTRY_BYTES + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    public String fileName() {
        return fileName;
    }

    public java.util.Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean has(String array) {
        return entries.containsKey(array);
    }

    /** The array, or an error naming the file, the array and the arrays the file does hold. */
    public NpyArray array(String array) throws NpyFormatException {
        byte[] b = entries.get(array);
        if (b == null) {
            throw new NpyFormatException(fileName + " has no array '" + array + "' (it holds " + entries.keySet() + ")");
        }
        return NpyReader.read(fileName + ":" + array, b);
    }
}
