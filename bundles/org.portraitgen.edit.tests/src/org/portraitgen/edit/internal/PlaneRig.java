package org.portraitgen.edit.internal;

import java.util.ArrayList;
import java.util.List;

import org.portraitgen.api.tracking.Camera;
import org.portraitgen.api.tracking.RigState;

/** A tiny rig for loop tests: an n x n grid plane facing the camera, sliding sideways a little each frame. */
final class PlaneRig {
    final int n;
    final int size;

    PlaneRig(int n, int size) {
        this.n = n;
        this.size = size;
    }

    int vertexCount() {
        return n * n;
    }

    int[] triangles() {
        int[] t = new int[6 * (n - 1) * (n - 1)];
        int k = 0;
        for (int i = 0; i < n - 1; i++) {
            for (int j = 0; j < n - 1; j++) {
                int a = i * n + j, b = a + 1, c = a + n, d = c + 1;
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

    float[] uvs() {
        float[] uv = new float[2 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                uv[2 * (i * n + j)] = j / (n - 1f);
                uv[2 * (i * n + j) + 1] = i / (n - 1f);
            }
        }
        return uv;
    }

    RigState state(int frame) {
        float[] v = new float[3 * n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                v[3 * (i * n + j)] = -0.6f + 1.2f * j / (n - 1) + 0.02f * frame;
                v[3 * (i * n + j) + 1] = -0.6f + 1.2f * i / (n - 1);
                v[3 * (i * n + j) + 2] = 2f;
            }
        }
        Camera cam = new Camera(size, size, size, size, size / 2.0 - 0.5, size / 2.0 - 0.5,
                new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, new double[3]);
        return new RigState(frame, cam, v, new float[0], true);
    }

    List<RigState> states(int frames) {
        List<RigState> out = new ArrayList<>();
        for (int f = 0; f < frames; f++) {
            out.add(state(f));
        }
        return out;
    }
}
