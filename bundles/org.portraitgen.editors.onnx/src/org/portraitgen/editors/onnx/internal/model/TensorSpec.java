package org.portraitgen.editors.onnx.internal.model;

import java.util.Arrays;

/**
 * One input or output of an ONNX model as a manifest or a pipeline expects it.
 *
 * @param dtype ONNX element type in lower case as ONNX Runtime names it without "tensor(...)": float32, int32, int64
 * @param shape dimensions; -1 for a dynamic one (batch, height, width)
 */
public record TensorSpec(String name, String dtype, long[] shape) {

    public TensorSpec {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** The declared size of dimension {@code i}, or -1 when dynamic. */
    public long dim(int i) {
        return shape[i];
    }

    public static String format(long[] shape) {
        return Arrays.toString(shape).replace("-1", "?");
    }

    @Override
    public String toString() {
        return name + " " + dtype + format(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorSpec t && t.name.equals(name) && t.dtype.equals(dtype)
                && Arrays.equals(t.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
