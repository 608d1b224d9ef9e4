package org.portraitgen.tracking.smplx.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.portraitgen.tracking.smplx.internal.fit.Pinhole;

/**
 * The 2D face landmarks and camera of a default-tracker folder (format {@code portraitgen-tracking}, as its
 * {@code TrackingFile} documents it): {@code tracking.json} gives the image size, intrinsics, frame and face point
 * counts; {@code landmarks.bin} the model's raw points, x,y,z float32 per point per frame in image pixels, NaN for
 * frames without a face.
 *
 * @param points per frame x,y per MediaPipe point (NaN when unseen)
 */
public record FaceLandmarks(int width, int height, double frameRate, Pinhole camera, List<double[]> points) {

    public static FaceLandmarks read(Path dir) throws IOException {
        Path jsonFile = dir.resolve("tracking.json");
        Map<?, ?> json;
        try {
            json = new ObjectMapper().readValue(jsonFile.toFile(), LinkedHashMap.class);
        } catch (JacksonException e) {
            throw new IOException(jsonFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (json == null || !"portraitgen-tracking".equals(json.get("format"))) {
            throw new IOException(jsonFile + " is not a face tracking file (format portraitgen-tracking)");
        }
        int frames = intOf(jsonFile, json, "frameCount"), faceN = intOf(jsonFile, json, "faceVertexCount");
        if (!(json.get("intrinsics") instanceof Map<?, ?> in)) {
            throw new IOException(jsonFile + ": 'intrinsics' is missing");
        }
        Pinhole cam = new Pinhole(dbl(jsonFile, in, "fx"), dbl(jsonFile, in, "fy"), dbl(jsonFile, in, "cx"),
                dbl(jsonFile, in, "cy"));
        Path bin = dir.resolve("landmarks.bin");
        long expected = (long) frames * faceN * 12;
        if (!Files.isRegularFile(bin) || Files.size(bin) != expected) {
            throw new IOException(bin + " is missing or not " + expected + " bytes (" + frames + " frames of " + faceN
                    + " points)");
        }
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(bin)).order(ByteOrder.LITTLE_ENDIAN);
        List<double[]> points = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            double[] p = new double[2 * faceN];
            for (int i = 0; i < faceN; i++) {
                int o = (f * faceN + i) * 12;
                p[2 * i] = b.getFloat(o);
                p[2 * i + 1] = b.getFloat(o + 4);
            }
            points.add(p);
        }
        double rate = json.get("frameRate") instanceof Number n ? n.doubleValue() : 25;
        return new FaceLandmarks(intOf(jsonFile, json, "width"), intOf(jsonFile, json, "height"), rate, cam, points);
    }

    private static int intOf(Path f, Map<?, ?> json, String key) throws IOException {
        return (int) dbl(f, json, key);
    }

    private static double dbl(Path f, Map<?, ?> json, String key) throws IOException {
        if (!(json.get(key) instanceof Number n)) {
            throw new IOException(f + ": '" + key + "' is missing or not a number");
        }
        return n.doubleValue();
    }
}
