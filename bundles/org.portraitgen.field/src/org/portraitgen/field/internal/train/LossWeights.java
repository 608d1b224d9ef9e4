package org.portraitgen.field.internal.train;

/**
 * Loss weights and learning rates. Defaults are PortraitGen's: loss 0.5·[0.5·L1(rgb) + L1(features 0–2)] +
 * 0.5·(1 − SSIM) + 0.5·mask + regularisers; Adam rates position 1.6e-5, features 1e-3, renderer 3e-3, opacity
 * 0.05, scale 5e-3, rotation 1e-3. Regulariser thresholds follow GaussianAvatars (offset 1, scale 0.6, in triangle
 * units).
 */
public record LossWeights(double rgbL1, double featureL1, double dssim, double mask, double offsetWeight,
        double offsetThreshold, double scaleWeight, double scaleThreshold, double lrPosition, double lrFeatures,
        double lrRenderer, double lrOpacity, double lrScale, double lrRotation) {

    public static LossWeights portraitGen() {
        return new LossWeights(0.25, 0.5, 0.5, 0.5, 0.01, 1.0, 1.0, 0.6, 1.6e-5, 1e-3, 3e-3, 0.05, 5e-3, 1e-3);
    }

    public LossWeights withPositionRate(double lr) {
        return new LossWeights(rgbL1, featureL1, dssim, mask, offsetWeight, offsetThreshold, scaleWeight,
                scaleThreshold, lr, lrFeatures, lrRenderer, lrOpacity, lrScale, lrRotation);
    }
}
