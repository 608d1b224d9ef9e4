package org.portraitgen.field.tests;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.RigState;

/**
 * A synthetic rig for tests until the tracking bundle lands: a latitude band of a sphere (no poles, so no
 * degenerate triangles) with a lat-long UV layout, turning about the vertical axis and breathing a little per frame.
 */
final class SphereRig implements Rig {
    private final int lat;
    private final int lon;
    private final int frames;
    private final int size;

    SphereRig(int lat, int lon, int frames, int size) {
        this.lat = lat;
        this.lon = lon;
        this.frames = frames;
        this.size = size;
    }

    @Override
    public int vertexCount() {
        return (lat + 1) * (lon + 1);
    }

    @Override
    public int[] triangles() {
        int[] t = new int[6 * lat * lon];
        int k = 0;
        for (int i = 0; i < lat; i++) {
            for (int j = 0; j < lon; j++) {
                int a = i * (lon + 1) + j;
                int b = a + 1;
                int c = a + lon + 1;
                int d = c + 1;
                t[k++] = a;
                t[k++] = c;
                t[k++] = b;
                t[k++] = b;
                t[k++] = c;
                t[k++] = d;
            }
        }
        return t;
    }

    @Override
    public float[] uvs() {
        float[] uv = new float[2 * vertexCount()];
        for (int i = 0; i <= lat; i++) {
            for (int j = 0; j <= lon; j++) {
                uv[2 * (i * (lon + 1) + j)] = (float) j / lon;
                uv[2 * (i * (lon + 1) + j) + 1] = (float) i / lat;
            }
        }
        return uv;
    }

    @Override
    public int frameCount() {
        return frames;
    }

    float[] vertices(double angle, double radius) {
        float[] v = new float[3 * vertexCount()];
        for (int i = 0; i <= lat; i++) {
            double theta = Math.PI * (0.2 + 0.6 * i / lat);
            for (int j = 0; j <= lon; j++) {
                double phi = Math.PI * (0.15 + 0.7 * j / lon) + angle; // the front half, facing the camera
                int o = 3 * (i * (lon + 1) + j);
                v[o] = (float) (radius * Math.sin(theta) * Math.cos(phi));
                v[o + 1] = (float) (radius * Math.cos(theta));
                v[o + 2] = (float) (2.5 - radius * Math.sin(theta) * Math.sin(phi));
            }
        }
        return v;
    }

    @Override
    public RigState state(int frame) {
        double angle = 0.12 * (frame - frames / 2.0);
        double radius = 0.6 * (1 + 0.03 * Math.sin(frame));
        Camera cam = new Camera(size, size, 1.3 * size, 1.3 * size, 0.5 * (size - 1), 0.5 * (size - 1),
                Scenes.IDENTITY, new double[3]);
        return new RigState(frame, cam, vertices(angle, radius), new float[0], true);
    }
}
