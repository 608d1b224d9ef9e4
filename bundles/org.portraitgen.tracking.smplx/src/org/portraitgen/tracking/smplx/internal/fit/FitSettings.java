package org.portraitgen.tracking.smplx.internal.fit;

/**
 * Fitting weights and sizes. Residuals are in pixels divided by {@code landmarkSigmaPx}; priors are weights on
 * parameters (radians, unit-variance blend coefficients, metres).
 *
 * @param shapes          identity components estimated (shared by the clip)
 * @param expressions     expression components estimated per frame
 * @param landmarkSigmaPx landmark noise in pixels
 * @param posePrior       weight on the non-root free joints' axis-angles
 * @param expressionPrior weight on expression coefficients
 * @param shapePrior      weight on shape coefficients
 * @param smoothness      weight on the change of per-frame parameters from the previous frame
 * @param iterations      Levenberg–Marquardt iterations per frame
 * @param jointIterations Levenberg–Marquardt iterations over the whole clip (shape and all frames together)
 */
public record FitSettings(int shapes, int expressions, double landmarkSigmaPx, double posePrior,
        double expressionPrior, double shapePrior, double smoothness, int iterations, int jointIterations) {

    public static final FitSettings DEFAULT = new FitSettings(10, 10, 2.0, 2.0, 0.3, 0.5, 1.0, 15, 10);

    public FitSettings withIterations(int iterations) {
        return new FitSettings(shapes, expressions, landmarkSigmaPx, posePrior, expressionPrior, shapePrior,
                smoothness, iterations, jointIterations);
    }

    public FitSettings withSmoothness(double smoothness) {
        return new FitSettings(shapes, expressions, landmarkSigmaPx, posePrior, expressionPrior, shapePrior,
                smoothness, iterations, jointIterations);
    }
}
