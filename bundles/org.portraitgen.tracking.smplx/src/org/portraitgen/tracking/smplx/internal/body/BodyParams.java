package org.portraitgen.tracking.smplx.internal.body;

/**
 * The parameters of one posed body: the first {@code shape.length} identity components, the first
 * {@code expression.length} expression components, axis-angle per joint ({@code [J, 3]}, joint 0 is the global
 * rotation about the root joint) and a global translation, all in the model's units (metres).
 */
public record BodyParams(double[] shape, double[] expression, double[] pose, double[] translation) {

    public static BodyParams zero(int shapes, int expressions, int joints) {
        return new BodyParams(new double[shapes], new double[expressions], new double[3 * joints], new double[3]);
    }

    public BodyParams copy() {
        return new BodyParams(shape.clone(), expression.clone(), pose.clone(), translation.clone());
    }

    /** Parameters in the Jacobian's column order: shape, expression, pose, translation. */
    public int size() {
        return shape.length + expression.length + pose.length + 3;
    }

    public double[] flatten() {
        double[] x = new double[size()];
        int o = 0;
        for (double[] part : new double[][] { shape, expression, pose, translation }) {
            System.arraycopy(part, 0, x, o, part.length);
            o += part.length;
        }
        return x;
    }

    public BodyParams with(double[] flat) {
        BodyParams p = copy();
        int o = 0;
        for (double[] part : new double[][] { p.shape, p.expression, p.pose, p.translation }) {
            System.arraycopy(flat, o, part, 0, part.length);
            o += part.length;
        }
        return p;
    }
}
