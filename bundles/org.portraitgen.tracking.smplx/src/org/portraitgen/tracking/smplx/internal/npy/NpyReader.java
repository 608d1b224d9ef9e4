package org.portraitgen.tracking.smplx.internal.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses NumPy's {@code .npy} format (versions 1.0, 2.0, 3.0): the magic, a Python-literal header dict with
 * {@code descr}, {@code fortran_order} and {@code shape}, then the raw data. Only plain numeric dtypes are accepted;
 * object arrays (pickled Python objects) are refused, as NumPy does without {@code allow_pickle}.
 */
public final class NpyReader {

    private static final byte[] MAGIC = { (byte) 0x93, 'N', 'U', 'M', 'P', 'Y' };

    private NpyReader() {
    }

    /** Reads one array; {@code name} (e.g. {@code SMPLX_NEUTRAL.npz:shapedirs}) prefixes every error. */
    public static NpyArray read(String name, byte[] bytes) throws NpyFormatException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10) {
            throw new NpyFormatException(name + ": truncated .npy (" + bytes.length + " bytes, no header)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new NpyFormatException(name + ": not a .npy array (bad magic)");
            }
        }
        int major = bytes[6];
        int headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = b.getShort(8) & 0xffff;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw new NpyFormatException(name + ": truncated .npy header");
            }
            long h = b.getInt(8) & 0xffffffffL;
            if (h > bytes.length) {
                throw new NpyFormatException(name + ": truncated .npy header (" + h + " bytes announced)");
            }
            headerLength = (int) h;
            headerStart = 12;
        } else {
            throw new NpyFormatException(name + ": unsupported .npy version " + major + "." + bytes[7]);
        }
        if ((long) headerStart + headerLength > bytes.length) {
            throw new NpyFormatException(name + ": truncated .npy header (" + headerLength + " bytes announced, "
                    + (bytes.length - headerStart) + " present)");
        }
        String header = new String(bytes, headerStart, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = stringValue(name, header, "descr");
        NpyArray.DType dtype = NpyArray.DType.of(descr);
        if (dtype == null) {
            if (descr.contains("O")) {
                throw new NpyFormatException(name + ": holds pickled Python objects (dtype '" + descr
                        + "'), which are not read for safety; save it as a numeric array (e.g. np.asarray(x,"
                        + " dtype=np.float32), a scipy sparse matrix with .toarray())");
            }
            throw new NpyFormatException(name + ": unsupported dtype '" + descr
                    + "' (supported: <f4 <f8 <i4 <i8 <u4 <u8 |u1 |b1, little-endian)");
        }
        boolean fortran = boolValue(name, header, "fortran_order");
        int[] shape = shapeValue(name, header);
        long count = 1;
        for (int d : shape) {
            count *= d;
            if (count > Integer.MAX_VALUE / 8) {
                throw new NpyFormatException(name + ": shape " + java.util.Arrays.toString(shape) + " is too large");
            }
        }
        long dataBytes = count * dtype.size;
        int dataStart = headerStart + headerLength;
        if (bytes.length - dataStart != dataBytes) {
            throw new NpyFormatException(name + ": " + (bytes.length - dataStart < dataBytes ? "truncated" : "oversized")
                    + " data: shape " + java.util.Arrays.toString(shape) + " of " + descr + " needs " + dataBytes
                    + " bytes, file has " + (bytes.length - dataStart));
        }
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart, (int) dataBytes).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (fortran && shape.length > 1) {
            data = toCOrder(data, shape, dtype.size);
        }
        return new NpyArray(name, dtype, shape, data);
    }

    /** Reorders column-major bytes into row-major. */
    private static ByteBuffer toCOrder(ByteBuffer f, int[] shape, int itemSize) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        byte[] out = new byte[n * itemSize];
        int rank = shape.length;
        int[] cStride = new int[rank];
        cStride[rank - 1] = 1;
        for (int a = rank - 2; a >= 0; a--) {
            cStride[a] = cStride[a + 1] * shape[a + 1];
        }
        int[] index = new int[rank];
        for (int i = 0; i < n; i++) { // i walks Fortran order: the first axis fastest
            int c = 0;
            for (int a = 0; a < rank; a++) {
                c += index[a] * cStride[a];
            }
            f.get(i * itemSize, out, c * itemSize, itemSize);
            for (int a = 0; a < rank; a++) {
                if (++index[a] < shape[a]) {
                    break;
                }
                index[a] = 0;
            }
        }
        return ByteBuffer.wrap(out);
    }

    private static int valueStart(String name, String header, String key) throws NpyFormatException {
        int k = header.indexOf("'" + key + "'");
        if (k < 0) {
            k = header.indexOf("\"" + key + "\"");
        }
        if (k < 0) {
            throw new NpyFormatException(name + ": .npy header has no '" + key + "': " + header.strip());
        }
        int colon = header.indexOf(':', k + key.length() + 2);
        if (colon < 0) {
            throw new NpyFormatException(name + ": malformed .npy header near '" + key + "'");
        }
        int i = colon + 1;
        while (i < header.length() && header.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static String stringValue(String name, String header, String key) throws NpyFormatException {
        int i = valueStart(name, header, key);
        if (i >= header.length() || (header.charAt(i) != '\'' && header.charAt(i) != '"')) {
            throw new NpyFormatException(name + ": .npy '" + key + "' is not a plain dtype string (structured"
                    + " arrays are not supported): " + header.strip());
        }
        int end = header.indexOf(header.charAt(i), i + 1);
        if (end < 0) {
            throw new NpyFormatException(name + ": malformed .npy header: unterminated '" + key + "'");
        }
        return header.substring(i + 1, end);
    }

    private static boolean boolValue(String name, String header, String key) throws NpyFormatException {
        int i = valueStart(name, header, key);
        if (header.startsWith("True", i)) {
            return true;
        }
        if (header.startsWith("False", i)) {
            return false;
        }
        throw new NpyFormatException(name + ": malformed .npy header: '" + key + "' is neither True nor False");
    }

    private static int[] shapeValue(String name, String header) throws NpyFormatException {
        int i = valueStart(name, header, "shape");
        int end = i < header.length() && header.charAt(i) == '(' ? header.indexOf(')', i) : -1;
        if (end < 0) {
            throw new NpyFormatException(name + ": malformed .npy header: 'shape' is not a tuple");
        }
        List<Integer> dims = new ArrayList<>();
        for (String part : header.substring(i + 1, end).split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 long literals
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                int d = Integer.parseInt(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(name + ": malformed .npy header: shape entry '" + p + "'");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }
}
