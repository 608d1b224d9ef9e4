package org.portraitgen.editors.builtin.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;

/** The contract every builtin editor keeps, checked through the service registry. */
class BuiltinEditorsTest {

    static Stream<String> ids() {
        return EditorServices.BUILTIN_IDS.stream();
    }

    static EditRequest request(FloatImage image, FloatImage mask, long seed) {
        FloatImage reference = TestImages.portrait(41, 37, 99);
        // the reference's colours differ from the image's, so colour transfer has something to move
        for (int i = 0; i < reference.planeSize(); i++) {
            reference.data()[i] *= 0.3f;
        }
        return new EditRequest(image, mask, reference, null, "make it art", 1.0, seed, Map.of());
    }

    @ParameterizedTest
    @MethodSource("ids")
    void changesTheMaskedRegionAndKeepsTheRest(String id) throws Exception {
        EditorProvider editor = EditorServices.editor(id);
        int w = 67;
        int h = 53;
        FloatImage image = TestImages.portrait(w, h, 1);
        FloatImage mask = TestImages.rightHalf(w, h);
        FloatImage out = editor.edit(request(image, mask, 7));
        assertEquals(image.width(), out.width());
        assertEquals(image.height(), out.height());
        assertEquals(3, out.channels());
        double inside = 0;
        int insideCount = 0;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    if (mask.get(0, x, y) == 0) {
                        assertEquals(image.get(c, x, y), out.get(c, x, y), 0f,
                                id + " changed an unmasked pixel at " + x + "," + y);
                    } else {
                        inside += Math.abs(image.get(c, x, y) - out.get(c, x, y));
                        insideCount++;
                    }
                }
            }
        }
        double meanChange = inside / insideCount;
        assertTrue(meanChange > 0.01, id + " barely changed the masked region: mean change " + meanChange);
    }

    @ParameterizedTest
    @MethodSource("ids")
    void isDeterministicForASeed(String id) throws Exception {
        EditorProvider editor = EditorServices.editor(id);
        FloatImage image = TestImages.portrait(48, 40, 2);
        FloatImage mask = TestImages.rightHalf(48, 40);
        FloatImage a = editor.edit(request(image, mask, 11));
        FloatImage b = editor.edit(request(image, mask, 11));
        assertEquals(a, b, id + " gave two results for one seed");
        if (editor.descriptor().stochastic()) {
            FloatImage c = editor.edit(request(image, mask, 12));
            assertNotEquals(a, c, id + " is stochastic but ignored the seed");
        }
    }

    @ParameterizedTest
    @MethodSource("ids")
    void handlesOddAndTinySizes(String id) throws Exception {
        EditorProvider editor = EditorServices.editor(id);
        for (int[] size : new int[][] {{33, 21}, {7, 5}, {1, 1}, {2, 9}}) {
            FloatImage image = TestImages.portrait(size[0], size[1], 3);
            FloatImage out = editor.edit(request(image, TestImages.rightHalf(size[0], size[1]), 5));
            assertEquals(size[0], out.width(), id);
            assertEquals(size[1], out.height(), id);
            for (float v : out.data()) {
                assertTrue(v >= 0 && v <= 1, id + " wrote " + v + " at " + size[0] + "x" + size[1]);
            }
        }
    }
}
