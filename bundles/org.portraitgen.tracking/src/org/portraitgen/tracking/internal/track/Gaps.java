package org.portraitgen.tracking.internal.track;

/** Bridges frames without a face: linear interpolation between the nearest tracked frames, held at the ends. */
final class Gaps {

    private Gaps() {
    }

    static float[][] interpolate(float[][] frames) {
        int n = frames.length;
        float[][] out = new float[n][];
        int prev = -1;
        for (int f = 0; f < n; f++) {
            if (frames[f] != null) {
                out[f] = frames[f].clone();
                prev = f;
                continue;
            }
            int next = f + 1;
            while (next < n && frames[next] == null) {
                next++;
            }
            if (prev < 0) {
                out[f] = frames[next].clone();
            } else if (next >= n) {
                out[f] = frames[prev].clone();
            } else {
                float t = (float) (f - prev) / (next - prev);
                float[] a = frames[prev], b = frames[next], o = new float[a.length];
                for (int i = 0; i < a.length; i++) {
                    o[i] = a[i] + t * (b[i] - a[i]);
                }
                out[f] = o;
            }
        }
        return out;
    }
}
