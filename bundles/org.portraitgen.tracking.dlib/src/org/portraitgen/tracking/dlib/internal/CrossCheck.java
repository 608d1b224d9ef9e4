package org.portraitgen.tracking.dlib.internal;

/** Point-by-point distances between a fitted 68-point shape and another source's 68 points. */
public final class CrossCheck {

    private CrossCheck() {
    }

    /** Mean Euclidean distance (pixels) between the shape's unrounded parts and {@code other} (x,y interleaved). */
    public static double meanDistance(ShapePredictor.Shape shape, double[] other) {
        if (other.length != 2 * shape.parts()) {
            throw new IllegalArgumentException(other.length / 2 + " points against " + shape.parts() + " parts");
        }
        double sum = 0;
        for (int i = 0; i < shape.parts(); i++) {
            sum += Math.hypot(shape.x()[i] - other[2 * i], shape.y()[i] - other[2 * i + 1]);
        }
        return sum / shape.parts();
    }

    public static double[] interleaved(ShapePredictor.Shape shape) {
        double[] out = new double[2 * shape.parts()];
        for (int i = 0; i < shape.parts(); i++) {
            out[2 * i] = shape.x()[i];
            out[2 * i + 1] = shape.y()[i];
        }
        return out;
    }
}
