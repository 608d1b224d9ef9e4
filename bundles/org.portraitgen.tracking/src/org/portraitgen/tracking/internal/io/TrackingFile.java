package org.portraitgen.tracking.internal.io;

import java.io.CharConversionException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The tracking folder, format {@value #FORMAT} version {@value #VERSION}. All binary files are little-endian.
 * <ul>
 * <li>{@code tracking.json}: {@code format}, {@code version}, {@code tracker}, {@code detector}, {@code width},
 * {@code height}, {@code frameRate}, {@code frameCount}, {@code intrinsics} {fx, fy, cx, cy} (pixels),
 * {@code vertexCount}, {@code faceVertexCount} (the first vertices are MediaPipe's 468 face points in its order),
 * {@code triangleCount}, {@code expressionSize}, {@code units} ("cm"), {@code stats}, and {@code frames}: per frame
 * {@code tracked} (false: no face found, bridged by interpolation), {@code presence}, {@code rotation} (row-major 3x3)
 * and {@code translation} (cm) of the head (canonical face mesh to camera), {@code expression} (floats).</li>
 * <li>{@code topology.bin}: int32 triangle indices (3 per triangle), then float32 u,v per vertex (v down).</li>
 * <li>{@code vertices.bin}: float32 x,y,z per vertex per frame, camera space in cm (OpenCV axes: x right, y down,
 * z forward), frame-major.</li>
 * <li>{@code landmarks.bin}: float32 x,y,z per face landmark per frame as the model gave them (pixels; NaN for frames
 * without a face).</li>
 * </ul>
 * Each file is written to a temporary name and renamed; {@code tracking.json} comes last, so a folder with it is
 * complete.
 */
public final class TrackingFile {

    public static final String FORMAT = "portraitgen-tracking";
    public static final int VERSION = 1;
    public static final String JSON = "tracking.json";
    public static final String TOPOLOGY = "topology.bin";
    public static final String VERTICES = "vertices.bin";
    public static final String LANDMARKS = "landmarks.bin";
    static final ObjectMapper JSON_MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrackingFile() {
    }

    public static void writeAtomically(Path dir, String name, ByteBuffer content) throws IOException {
        Path tmp = dir.resolve("." + name + ".tmp");
        try (var ch = Files.newByteChannel(tmp, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING, java.nio.file.StandardOpenOption.WRITE)) {
            content.rewind();
            while (content.hasRemaining()) {
                ch.write(content);
            }
        }
        Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static ByteBuffer floats(List<float[]> blocks, int perBlock) {
        ByteBuffer b = ByteBuffer.allocate(blocks.size() * perBlock * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] block : blocks) {
            for (int i = 0; i < perBlock; i++) {
                b.putFloat(block == null ? Float.NaN : block[i]);
            }
        }
        return b;
    }

    public static void writeJson(Path dir, Map<String, Object> json) throws IOException {
        writeAtomically(dir, JSON, ByteBuffer.wrap(JSON_MAPPER.writeValueAsBytes(json)));
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> readJson(Path dir) throws IOException {
        Path f = dir.resolve(JSON);
        if (!Files.isRegularFile(f)) {
            throw new IOException(dir + " is not a tracking folder: it has no " + JSON);
        }
        Map<String, Object> json;
        try {
            json = JSON_MAPPER.readValue(f.toFile(), LinkedHashMap.class);
        } catch (JacksonException | CharConversionException e) { // neither names the file
            throw new IOException(f + " is not valid JSON: " + e.getMessage(), e);
        }
        if (json == null || !FORMAT.equals(json.get("format"))) {
            throw new IOException(f + " is not a " + FORMAT + " file");
        }
        if (!(json.get("version") instanceof Number number)) {
            throw new IOException(f + " has no format version");
        }
        int version = number.intValue();
        if (version > VERSION) {
            throw new IOException(f + " has format version " + version + "; this build reads up to " + VERSION);
        }
        return json;
    }

    public static ByteBuffer read(Path dir, String name, long expectedBytes) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(name));
        if (bytes.length != expectedBytes) {
            throw new IOException(dir.resolve(name) + " has " + bytes.length + " bytes, expected " + expectedBytes);
        }
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
