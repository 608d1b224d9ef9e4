package org.portraitgen.tracking.smplx.internal.npy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One NumPy array as stored: its dtype, shape and raw little-endian bytes in C (row-major) order (a Fortran-order
 * file is reordered when read). Values are converted on access, so a float32 basis stays float32 in memory.
 */
public final class NpyArray {

    /** The element types this reader accepts ({@code descr} strings of the .npy header). */
    public enum DType {
        F4("<f4", 4), F8("<f8", 8), I4("<i4", 4), I8("<i8", 8), U1("|u1", 1), U4("<u4", 4), U8("<u8", 8),
        B1("|b1", 1);

        final String descr;
        final int size;

        DType(String descr, int size) {
            this.descr = descr;
            this.size = size;
        }

        static DType of(String descr) {
            String d = descr.equals("<u1") ? "|u1" : descr.equals("<b1") ? "|b1" : descr;
            for (DType t : values()) {
                if (t.descr.equals(d)) {
                    return t;
                }
            }
            return null;
        }
    }

    private final String name;
    private final DType dtype;
    private final int[] shape;
    private final ByteBuffer data;

    NpyArray(String name, DType dtype, int[] shape, ByteBuffer data) {
        this.name = name;
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Where the array came from ({@code file.npz:array}), for error messages. */
    public String name() {
        return name;
    }

    public DType dtype() {
        return dtype;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        return shape[axis];
    }

    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    public boolean isInteger() {
        return dtype != DType.F4 && dtype != DType.F8;
    }

    /** Element {@code i} (C order) as a double. */
    public double get(int i) {
        int o = i * dtype.size;
        return switch (dtype) {
            case F4 -> data.getFloat(o);
            case F8 -> data.getDouble(o);
            case I4 -> data.getInt(o);
            case I8 -> data.getLong(o);
            case U1, B1 -> data.get(o) & 0xff;
            case U4 -> data.getInt(o) & 0xffffffffL;
            case U8 -> data.getLong(o); // indices only; values above 2^63 do not occur in model files
        };
    }

    public float[] toFloats() {
        float[] out = new float[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) get(i);
        }
        return out;
    }

    public double[] toDoubles() {
        double[] out = new double[size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /**
     * Integer values; an unsigned 32-bit {@code 4294967295} reads as -1 (SMPL-X files store the root's missing parent
     * so, others as a signed -1).
     */
    public int[] toInts() throws NpyFormatException {
        int[] out = new int[size()];
        for (int i = 0; i < out.length; i++) {
            double v = get(i);
            if (v != Math.rint(v)) {
                throw new NpyFormatException(name + ": expected integers, found " + v + " at element " + i);
            }
            if (v == 4294967295.0) {
                out[i] = -1;
            } else if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
                throw new NpyFormatException(name + ": integer " + (long) v + " at element " + i + " is too large");
            } else {
                out[i] = (int) v;
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return name + " " + dtype.descr + " " + Arrays.toString(shape);
    }
}
