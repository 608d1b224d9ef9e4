package org.portraitgen.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.ImageMetrics;

class ImageMetricsTest {

    private static FloatImage constant(int w, int h, int c, float v) {
        float[] d = new float[w * h * c];
        Arrays.fill(d, v);
        return new FloatImage(w, h, c, d);
    }

    @Test
    void psnrOfKnownError() {
        // a uniform error of 0.1 is an MSE of 0.01, i.e. exactly 20 dB
        assertEquals(20.0, ImageMetrics.psnr(constant(8, 8, 3, 0.5f), constant(8, 8, 3, 0.6f)), 1e-5);
        assertEquals(Double.POSITIVE_INFINITY, ImageMetrics.psnr(constant(4, 4, 1, 0.3f), constant(4, 4, 1, 0.3f)));
    }

    @Test
    void ssimOfConstantImagesIsTheLuminanceTerm() {
        // with zero variance SSIM reduces to (2ab + C1) / (a^2 + b^2 + C1)
        double a = 0.2;
        double b = 0.7;
        double c1 = 1e-4;
        double expected = (2 * a * b + c1) / (a * a + b * b + c1);
        assertEquals(expected, ImageMetrics.ssim(constant(16, 16, 1, (float) a), constant(16, 16, 1, (float) b)),
                1e-6);
    }

    @Test
    void ssimOfImageWithItselfIsOne() {
        Random r = new Random(1);
        FloatImage img = new FloatImage(32, 24, 3);
        for (int i = 0; i < img.data().length; i++) {
            img.data()[i] = r.nextFloat();
        }
        assertEquals(1.0, ImageMetrics.ssim(img, img.copy()), 1e-9);
    }

    @Test
    void shapeMismatchIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ImageMetrics.psnr(constant(4, 4, 3, 0), constant(4, 5, 3, 0)));
    }
}
