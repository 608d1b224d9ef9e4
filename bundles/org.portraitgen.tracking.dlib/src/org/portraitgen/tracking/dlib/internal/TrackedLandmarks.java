package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The primary tracker's raw face landmarks from a tracking folder (format {@code portraitgen-tracking} version 1,
 * documented in the tracking bundle): {@code tracking.json} gives {@code frameCount} and {@code faceVertexCount};
 * {@code landmarks.bin} holds float32 x,y,z (pixels) per landmark per frame, little-endian, NaN without a face.
 */
public record TrackedLandmarks(int width, int height, int frameCount, int points, float[] xyz) {

    public static TrackedLandmarks read(Path trackingDir) throws IOException {
        Path json = trackingDir.resolve("tracking.json");
        if (!Files.isRegularFile(json)) {
            throw new IOException(trackingDir + " is not a tracking folder: it has no tracking.json");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json.toFile());
        } catch (IOException e) {
            throw new IOException(json + " is not valid JSON: " + e.getMessage(), e);
        }
        if (root == null || !"portraitgen-tracking".equals(root.path("format").asText())) {
            throw new IOException(json + " is not a portraitgen-tracking file");
        }
        int frames = root.path("frameCount").asInt(-1), points = root.path("faceVertexCount").asInt(-1);
        int width = root.path("width").asInt(-1), height = root.path("height").asInt(-1);
        if (frames < 0 || points < MediaPipe68.MEDIAPIPE_POINTS || width <= 0 || height <= 0) {
            throw new IOException(json + ": frameCount, faceVertexCount (at least " + MediaPipe68.MEDIAPIPE_POINTS
                    + "), width and height are required");
        }
        Path bin = trackingDir.resolve("landmarks.bin");
        long expected = 12L * points * frames;
        if (!Files.isRegularFile(bin) || Files.size(bin) != expected) {
            throw new IOException(bin + " must hold " + expected + " bytes (" + frames + " frames x " + points
                    + " points x 3 float32)" + (Files.isRegularFile(bin) ? ", it has " + Files.size(bin) : ""));
        }
        float[] xyz = new float[3 * points * frames];
        ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(xyz);
        return new TrackedLandmarks(width, height, frames, points, xyz);
    }

    /** The 68 corresponding points of one frame (x,y interleaved), null when the tracker found no face there. */
    public double[] points68(int frame) {
        float[] one = new float[3 * points];
        System.arraycopy(xyz, 3 * points * frame, one, 0, one.length);
        return MediaPipe68.fromMediaPipe(one);
    }
}
