package org.portraitgen.field.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.portraitgen.field.internal.raster.Gaussians;

/**
 * Reads a 3DGS .ply (binary little endian, one {@code vertex} element) as {@link PlyExport} and common splatting
 * tools write it: x, y, z, scale_0..2, rot_0..3 and opacity are required, f_dc_0..2 optional (colour 0.5 when
 * absent), any other property of a fixed-size type is skipped (normals, f_rest_*). Every way the file can be wrong,
 * including more Gaussians than {@code maxGaussians}, is an IOException naming the file; nothing is allocated before
 * the header has been checked against the file's size.
 */
public final class PlyImport {
    private static final int MAX_HEADER_BYTES = 64 * 1024;
    private static final Map<String, Integer> TYPE_SIZES = Map.ofEntries(Map.entry("char", 1), Map.entry("uchar", 1),
            Map.entry("int8", 1), Map.entry("uint8", 1), Map.entry("short", 2), Map.entry("ushort", 2),
            Map.entry("int16", 2), Map.entry("uint16", 2), Map.entry("int", 4), Map.entry("uint", 4),
            Map.entry("int32", 4), Map.entry("uint32", 4), Map.entry("float", 4), Map.entry("float32", 4),
            Map.entry("double", 8), Map.entry("float64", 8));
    private static final String[] REQUIRED = {"x", "y", "z", "scale_0", "scale_1", "scale_2", "rot_0", "rot_1",
            "rot_2", "rot_3", "opacity"};

    private PlyImport() {
    }

    private record Property(String type, int offset) {
    }

    /** The Gaussians of {@code file}, with 3 feature channels holding the colour (0.5 + SH0 · f_dc). */
    public static Gaussians read(Path file, int maxGaussians) throws IOException {
        byte[] headerBytes = header(file);
        String header = new String(headerBytes, StandardCharsets.US_ASCII);
        String[] lines = header.split("\n");
        if (!lines[0].strip().equals("ply")) {
            throw bad(file, "does not start with 'ply'");
        }
        long count = -1;
        int stride = 0;
        Map<String, Property> properties = new HashMap<>();
        boolean format = false;
        boolean inVertex = false;
        List<String> elements = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] t = lines[i].strip().split("\\s+");
            switch (t[0]) {
                case "format" -> {
                    if (t.length != 3 || !t[1].equals("binary_little_endian") || !t[2].equals("1.0")) {
                        throw bad(file, "format '" + lines[i].strip() + "' is not binary_little_endian 1.0");
                    }
                    format = true;
                }
                case "element" -> {
                    if (t.length != 3) {
                        throw bad(file, "bad element line '" + lines[i].strip() + "'");
                    }
                    elements.add(t[1]);
                    inVertex = t[1].equals("vertex");
                    if (inVertex) {
                        count = parseCount(file, t[2]);
                    } else if (parseCount(file, t[2]) != 0) {
                        throw bad(file, "element '" + t[1] + "' is not supported (only 'vertex')");
                    }
                }
                case "property" -> {
                    if (!inVertex) {
                        throw bad(file, "property outside the vertex element: '" + lines[i].strip() + "'");
                    }
                    if (t.length != 3 || !TYPE_SIZES.containsKey(t[1])) {
                        throw bad(file, "unsupported property '" + lines[i].strip() + "' (lists are not supported)");
                    }
                    if (properties.put(t[2], new Property(t[1], stride)) != null) {
                        throw bad(file, "property '" + t[2] + "' is declared twice");
                    }
                    stride += TYPE_SIZES.get(t[1]);
                }
                case "comment", "obj_info", "", "end_header" -> {
                    // nothing to read
                }
                default -> throw bad(file, "unknown header line '" + lines[i].strip() + "'");
            }
        }
        if (!format) {
            throw bad(file, "has no format line");
        }
        if (count < 0) {
            throw bad(file, "has no vertex element");
        }
        for (String name : REQUIRED) {
            if (!properties.containsKey(name)) {
                throw bad(file, "lacks the property '" + name + "' of a Gaussian");
            }
        }
        if (count > maxGaussians) {
            throw bad(file, "holds " + count + " Gaussians, more than the limit of " + maxGaussians);
        }
        long expected = headerBytes.length + count * stride;
        long size = Files.size(file);
        if (size != expected) {
            throw bad(file, "is " + size + " bytes, but its header describes " + expected + " (" + count
                    + " Gaussians of " + stride + " bytes)");
        }
        if (count * stride > Integer.MAX_VALUE - 8) {
            throw bad(file, "is too large to read at once (" + count * stride + " bytes of Gaussians)");
        }
        ByteBuffer body = ByteBuffer.allocate((int) (count * stride)).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.position(headerBytes.length);
            while (body.hasRemaining() && ch.read(body) >= 0) {
                // read the whole body
            }
        }
        if (body.hasRemaining()) {
            throw bad(file, "ended while being read");
        }
        Gaussians g = new Gaussians((int) count, 3);
        for (int i = 0; i < count; i++) {
            int base = i * stride;
            for (int k = 0; k < 3; k++) {
                g.means[3 * i + k] = value(body, base, properties.get(String.valueOf((char) ('x' + k))));
                g.logScales[3 * i + k] = value(body, base, properties.get("scale_" + k));
                Property dc = properties.get("f_dc_" + k);
                g.features[3 * i + k] = dc == null ? 0.5 : 0.5 + PlyExport.SH_C0 * value(body, base, dc);
            }
            for (int k = 0; k < 4; k++) {
                g.quats[4 * i + k] = value(body, base, properties.get("rot_" + k));
            }
            g.opacityLogits[i] = value(body, base, properties.get("opacity"));
        }
        return g;
    }

    /** The header up to and including the newline after {@code end_header}. */
    private static byte[] header(Path file) throws IOException {
        byte[] buffer = new byte[MAX_HEADER_BYTES];
        int n = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int r;
            while (n < buffer.length && (r = in.read(buffer, n, buffer.length - n)) > 0) {
                n += r;
            }
        }
        String text = new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("end_header\n");
        if (end < 0) {
            throw bad(file, "has no 'end_header' line within its first " + MAX_HEADER_BYTES + " bytes");
        }
        for (int i = 0; i < end; i++) {
            if (buffer[i] < 0) {
                throw bad(file, "has a header that is not ASCII");
            }
        }
        return java.util.Arrays.copyOf(buffer, end + "end_header\n".length());
    }

    private static long parseCount(Path file, String s) throws IOException {
        try {
            long v = Long.parseLong(s);
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(file, "element count '" + s + "' is not a count");
    }

    private static double value(ByteBuffer b, int base, Property p) {
        int at = base + p.offset();
        return switch (p.type()) {
            case "char", "int8" -> b.get(at);
            case "uchar", "uint8" -> b.get(at) & 0xff;
            case "short", "int16" -> b.getShort(at);
            case "ushort", "uint16" -> b.getShort(at) & 0xffff;
            case "int", "int32" -> b.getInt(at);
            case "uint", "uint32" -> b.getInt(at) & 0xffffffffL;
            case "double", "float64" -> b.getDouble(at);
            default -> b.getFloat(at);
        };
    }

    private static IOException bad(Path file, String why) {
        return new IOException("not a readable 3DGS .ply: " + file + " " + why);
    }
}
