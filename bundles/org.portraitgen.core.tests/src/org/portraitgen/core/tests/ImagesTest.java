package org.portraitgen.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.Images;

class ImagesTest {

    @Test
    void rgbRoundTripIsExact() {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                img.setRGB(x, y, (x * 50) << 16 | (y * 100) << 8 | (x * 13 + y));
            }
        }
        FloatImage f = Images.toFloat(img, 3);
        assertEquals(200 / 255f, f.get(0, 4, 0), 0, "red plane first");
        assertEquals(200 / 255f, f.get(1, 0, 2), 0, "then green");
        assertEquals(53 / 255f, f.get(2, 4, 1), 0, "then blue");
        BufferedImage back = Images.toBufferedImage(f);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(img.getRGB(x, y), back.getRGB(x, y), "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void greyKeepsItsCodes() {
        // getRGB would pass grey through Java's linear grey space and turn code 64 into about 137
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(0, 0, 0, 64);
        grey.getRaster().setSample(1, 0, 0, 200);
        FloatImage f = Images.toFloat(grey, 1);
        assertEquals(64 / 255f, f.get(0, 0, 0), 0);
        assertEquals(200 / 255f, f.get(0, 1, 0), 0);
        assertEquals(64, Images.toBufferedImage(f).getRaster().getSample(0, 0, 0));
        FloatImage rgb = Images.toFloat(grey, 3);
        assertEquals(64 / 255f, rgb.get(2, 0, 0), 0, "grey to RGB copies the code to every channel");
    }

    @Test
    void otherImageTypesConvertThroughTheirColourModel() {
        BufferedImage argb = new BufferedImage(1, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0xFF102030);
        FloatImage f = Images.toFloat(argb, 3);
        assertEquals(0x10 / 255f, f.get(0, 0, 0), 0);
        assertEquals(0x30 / 255f, f.get(2, 0, 0), 0);
        BufferedImage indexed = new BufferedImage(1, 1, BufferedImage.TYPE_BYTE_INDEXED);
        indexed.setRGB(0, 0, 0xFFFFFFFF);
        assertEquals(1f, Images.toFloat(indexed, 3).get(1, 0, 0), 0);
    }

    @Test
    void outOfRangeValuesAreClampedAndRounded() {
        FloatImage f = new FloatImage(3, 1, 1, new float[] { -0.2f, 0.5f, 1.7f });
        BufferedImage b = Images.toBufferedImage(f);
        assertEquals(0, b.getRaster().getSample(0, 0, 0));
        assertEquals(128, b.getRaster().getSample(1, 0, 0), "0.5 * 255 = 127.5 rounds up");
        assertEquals(255, b.getRaster().getSample(2, 0, 0));
        assertEquals(0, Images.toByte(Float.NaN));
    }
}
