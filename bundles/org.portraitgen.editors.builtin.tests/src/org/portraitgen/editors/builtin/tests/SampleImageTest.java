package org.portraitgen.editors.builtin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.Images;

/** Editors whose behaviour depends on optional inputs, checked on a real portrait (odd-sized crop). */
class SampleImageTest {

    private static FloatImage sample(String name, int w, int h) throws Exception {
        Path data = Path.of(System.getProperty("portraitgen.shared.data"), "images", name);
        BufferedImage full = ImageIO.read(data.toFile());
        assertTrue(full != null, "cannot read " + data);
        BufferedImage small = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        small.createGraphics().drawImage(full, 0, 0, w, h, null);
        return Images.toFloat(small, 3);
    }

    @Test
    void relightFollowsTheLightDirectionGivenAsParameters() throws Exception {
        FloatImage image = sample("s0.jpg", 97, 113);
        var relight = EditorServices.editor("builtin.relight");
        FloatImage fromLeft = relight.edit(new EditRequest(image, null, null, null, null, 1.0, 1,
                Map.of("light", "parameters", "azimuth", 180.0, "elevation", 20.0)));
        FloatImage fromRight = relight.edit(new EditRequest(image, null, null, null, null, 1.0, 1,
                Map.of("light", "parameters", "azimuth", 0.0, "elevation", 20.0)));
        // the estimated normals face left on the left half, so a light from the left brightens that half more
        assertTrue(halfMean(fromLeft, true) - halfMean(fromLeft, false) > halfMean(fromRight, true)
                - halfMean(fromRight, false), "light from the left should favour the left half");
    }

    @Test
    void relightUsesGivenNormals() throws Exception {
        FloatImage image = sample("s5.jpg", 64, 64);
        FloatImage facingUp = new FloatImage(64, 64, 3);
        java.util.Arrays.fill(facingUp.data(), 64 * 64, 2 * 64 * 64, 1f);
        var relight = EditorServices.editor("builtin.relight");
        Map<String, Object> light = Map.of("light", "parameters", "azimuth", 90.0, "elevation", 10.0);
        FloatImage estimated = relight.edit(new EditRequest(image, null, null, null, null, 1.0, 1, light));
        FloatImage given = relight.edit(new EditRequest(image, null, null, facingUp, null, 1.0, 1, light));
        assertNotEquals(estimated, given);
    }

    @Test
    void insertionBlendsTheReferenceIntoTheMaskOnly() throws Exception {
        FloatImage image = sample("s0.jpg", 81, 95);
        FloatImage reference = sample("s12.jpg", 40, 52);
        FloatImage mask = new FloatImage(81, 95, 1);
        for (int y = 50; y < 80; y++) {
            for (int x = 20; x < 60; x++) {
                mask.set(0, x, y, 1);
            }
        }
        FloatImage out = EditorServices.editor("builtin.insert").edit(new EditRequest(image, mask, reference, null,
                null, 1.0, 1, Map.of()));
        assertEquals(image.get(0, 5, 5), out.get(0, 5, 5), 0f);
        assertTrue(Math.abs(out.get(1, 40, 65) - image.get(1, 40, 65)) > 0 || Math.abs(out.get(0, 30, 60)
                - image.get(0, 30, 60)) > 0, "the box should show the reference");
    }

    private static double halfMean(FloatImage img, boolean left) {
        double s = 0;
        int n = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < img.height(); y++) {
                for (int x = left ? 0 : img.width() / 2; x < (left ? img.width() / 2 : img.width()); x++) {
                    s += img.get(c, x, y);
                    n++;
                }
            }
        }
        return s / n;
    }
}
