package org.portraitgen.editors.onnx.internal.diffusion;

import java.util.Arrays;

/** A dense float tensor in row-major (NCHW) order: the currency between the pipeline's stages. */
public record Tensor(float[] data, long... shape) {

    public Tensor {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " floats, got "
                    + data.length);
        }
    }

    public static Tensor zeros(long... shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return new Tensor(new float[Math.toIntExact(n)], shape);
    }

    public long dim(int i) {
        return shape[i];
    }

    /** Batch items concatenated along dimension 0 (each [1, ...] or [k, ...] with equal trailing dims). */
    public static Tensor batch(Tensor... items) {
        long n = 0;
        int size = 0;
        for (Tensor t : items) {
            n += t.shape[0];
            size += t.data.length;
        }
        float[] data = new float[size];
        int at = 0;
        for (Tensor t : items) {
            System.arraycopy(t.data, 0, data, at, t.data.length);
            at += t.data.length;
        }
        long[] shape = items[0].shape.clone();
        shape[0] = n;
        return new Tensor(data, shape);
    }

    /** Batch item {@code i} as [1, ...]. */
    public Tensor item(int i) {
        int size = data.length / (int) shape[0];
        long[] s = shape.clone();
        s[0] = 1;
        return new Tensor(Arrays.copyOfRange(data, i * size, (i + 1) * size), s);
    }

    /** [N, C1, H, W] and [N, C2, H, W] → [N, C1 + C2, H, W]. */
    public static Tensor concatChannels(Tensor a, Tensor b) {
        int n = (int) a.shape[0];
        int pa = a.data.length / n;
        int pb = b.data.length / n;
        float[] out = new float[a.data.length + b.data.length];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a.data, i * pa, out, i * (pa + pb), pa);
            System.arraycopy(b.data, i * pb, out, i * (pa + pb) + pa, pb);
        }
        return new Tensor(out, n, a.shape[1] + b.shape[1], a.shape[2], a.shape[3]);
    }

    public Tensor scaled(float s) {
        float[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= s;
        }
        return new Tensor(out, shape);
    }

    @Override
    public String toString() {
        return Arrays.toString(shape).replace(", ", "x");
    }
}
