package org.portraitgen.tracking.smplx.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;

/**
 * The SMPL-X tracker's folder, format {@value #FORMAT} version {@value #VERSION}; binaries little-endian.
 * <ul>
 * <li>{@code smplx-tracking.json}: {@code format}, {@code version}, {@code tracker}, {@code model} (file name),
 * {@code modelKind}, {@code width}, {@code height}, {@code frameRate}, {@code frameCount}, {@code intrinsics}
 * {fx, fy, cx, cy}, {@code vertexCount} (rig vertices, UV seams split), {@code triangleCount}, {@code units} ("cm"),
 * {@code shape} (the clip's identity coefficients), {@code meanReprojectionPx}, and {@code frames}: per frame
 * {@code tracked}, {@code reprojectionPx}, {@code expression}, {@code pose} (axis-angle per joint, [J, 3]) and
 * {@code translation} (metres, model units).</li>
 * <li>{@code topology.bin}: int32 triangle indices, then float32 u,v per rig vertex (v down).</li>
 * <li>{@code vertices.bin}: float32 x,y,z per rig vertex per frame, camera space in cm (OpenCV axes).</li>
 * </ul>
 * Files are written to temporary names and renamed, the JSON last, so a folder with it is complete.
 */
public final class SmplxTrackingFolder {

    public static final String FORMAT = "portraitgen-smplx-tracking";
    public static final int VERSION = 1;
    public static final String JSON = "smplx-tracking.json";
    public static final String TOPOLOGY = "topology.bin";
    public static final String VERTICES = "vertices.bin";
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private SmplxTrackingFolder() {
    }

    /** One frame to write: rig vertices (cm), its parameters and fit quality. */
    public record Frame(float[] vertices, boolean tracked, double reprojectionPx, double[] expression, double[] pose,
            double[] translation) {
    }

    public static void write(Path dir, Map<String, Object> header, RigTopology topology, List<Frame> frames)
            throws IOException {
        Files.createDirectories(dir);
        int vn = topology.vertexCount(), tn = topology.triangles().length / 3;
        ByteBuffer topo = ByteBuffer.allocate(tn * 12 + vn * 8).order(ByteOrder.LITTLE_ENDIAN);
        topo.asIntBuffer().put(topology.triangles());
        topo.position(tn * 12);
        topo.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(topology.uvs());
        writeAtomically(dir, TOPOLOGY, topo);
        Path tmp = dir.resolve("." + VERTICES + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(vn * 12).order(ByteOrder.LITTLE_ENDIAN);
            for (Frame f : frames) {
                b.clear();
                b.asFloatBuffer().put(f.vertices());
                while (b.hasRemaining()) {
                    ch.write(b);
                }
            }
        }
        Files.move(tmp, dir.resolve(VERTICES), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", FORMAT);
        json.put("version", VERSION);
        json.putAll(header);
        json.put("frameCount", frames.size());
        json.put("vertexCount", vn);
        json.put("triangleCount", tn);
        json.put("units", "cm");
        List<Map<String, Object>> fr = new ArrayList<>();
        for (Frame f : frames) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tracked", f.tracked());
            m.put("reprojectionPx", Double.isFinite(f.reprojectionPx()) ? f.reprojectionPx() : null);
            m.put("expression", f.expression());
            m.put("pose", f.pose());
            m.put("translation", f.translation());
            fr.add(m);
        }
        json.put("frames", fr);
        writeAtomically(dir, JSON, ByteBuffer.wrap(MAPPER.writeValueAsBytes(json)));
    }

    private static void writeAtomically(Path dir, String name, ByteBuffer content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            content.rewind();
            while (content.hasRemaining()) {
                ch.write(content);
            }
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a folder this tracker wrote; errors name the folder and what is wrong. */
    @SuppressWarnings("unchecked")
    public static Rig read(Path dir) throws IOException {
        Path jsonFile = dir.resolve(JSON);
        if (!Files.isRegularFile(jsonFile)) {
            throw new IOException(dir + " is not an SMPL-X tracking folder: it has no " + JSON);
        }
        Map<String, Object> json;
        try {
            json = MAPPER.readValue(jsonFile.toFile(), LinkedHashMap.class);
        } catch (JacksonException e) {
            throw new IOException(jsonFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !FORMAT.equals(json.get("format"))) {
            throw new IOException(jsonFile + " is not a " + FORMAT + " file");
        }
        if (!(json.get("version") instanceof Number version) || version.intValue() > VERSION) {
            throw new IOException(jsonFile + " has format version " + json.get("version") + "; this build reads up to "
                    + VERSION);
        }
        try {
            int vn = num(jsonFile, json, "vertexCount").intValue(), tn = num(jsonFile, json, "triangleCount").intValue();
            int frames = num(jsonFile, json, "frameCount").intValue();
            if (vn < 0 || tn < 0 || frames < 0) {
                throw new IOException(jsonFile + ": negative vertex, triangle or frame count");
            }
            ByteBuffer topo = readExactly(dir.resolve(TOPOLOGY), (long) tn * 12 + (long) vn * 8);
            int[] tris = new int[tn * 3];
            topo.asIntBuffer().get(tris);
            for (int t : tris) {
                if (t < 0 || t >= vn) {
                    throw new IOException(dir.resolve(TOPOLOGY) + ": vertex index " + t + " outside [0, " + vn + ")");
                }
            }
            float[] uvs = new float[vn * 2];
            topo.position(tn * 12);
            topo.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(uvs);
            ByteBuffer verts = readExactly(dir.resolve(VERTICES), (long) frames * vn * 12);
            Map<String, Object> in = (Map<String, Object>) json.get("intrinsics");
            Camera camera = new Camera(num(jsonFile, json, "width").intValue(), num(jsonFile, json, "height").intValue(),
                    num(jsonFile, in, "fx").doubleValue(), num(jsonFile, in, "fy").doubleValue(),
                    num(jsonFile, in, "cx").doubleValue(), num(jsonFile, in, "cy").doubleValue(),
                    new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }, new double[3]);
            List<Map<String, Object>> fr = (List<Map<String, Object>>) json.get("frames");
            RigState[] states = new RigState[frames];
            for (int f = 0; f < frames; f++) {
                Map<String, Object> m = fr.get(f);
                List<Number> e = (List<Number>) m.get("expression");
                List<Number> pose = (List<Number>) m.get("pose");
                float[] expr = new float[e.size()];
                for (int i = 0; i < expr.length; i++) {
                    expr[i] = e.get(i).floatValue();
                }
                float[] v = new float[vn * 3];
                verts.position(f * vn * 12);
                verts.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
                states[f] = new RigState(f, camera, v, expr, Boolean.TRUE.equals(m.get("tracked")));
                if (pose == null) {
                    throw new IOException(jsonFile + ": frame " + f + " has no pose");
                }
            }
            return new SmplxRig(vn, tris, uvs, states);
        } catch (ClassCastException | NullPointerException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException(jsonFile + " is malformed: " + e, e);
        }
    }

    private static Number num(Path file, Map<String, Object> json, String key) throws IOException {
        if (json == null || !(json.get(key) instanceof Number n)) {
            throw new IOException(file + ": '" + key + "' is missing or not a number");
        }
        return n;
    }

    private static ByteBuffer readExactly(Path file, long expected) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing");
        }
        long size = Files.size(file);
        if (size != expected) {
            throw new IOException(file + " has " + size + " bytes, expected " + expected);
        }
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The folder as a {@link Rig}: fixed topology and UVs, one state per frame. */
    record SmplxRig(int vertexCount, int[] tris, float[] uvArray, RigState[] states) implements Rig {
        @Override
        public int[] triangles() {
            return tris.clone();
        }

        @Override
        public float[] uvs() {
            return uvArray.clone();
        }

        @Override
        public int frameCount() {
            return states.length;
        }

        @Override
        public RigState state(int frame) {
            return states[frame];
        }
    }
}
