package org.portraitgen.field.gl.tests;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.field.gl.GlContext;
import org.portraitgen.field.gl.internal.GlBuffer;
import org.portraitgen.field.gl.internal.train.GpuImageCache;

/**
 * The trainer's images on the GPU: an image is uploaded once and served from the GPU after, uploaded again when its
 * pixels change in place, and the byte budget drops the least recently used images but never one of this step.
 */
class GpuImageCacheTest {
    private static FloatImage image(int size, float base) {
        float[] d = new float[3 * size * size];
        for (int i = 0; i < d.length; i++) {
            d[i] = base + i * 1e-4f;
        }
        return new FloatImage(size, size, 3, d);
    }

    @Test
    void uploadsEachImageOnceAndAgainWhenItChanges() {
        GlContext gl = SharedContext.get();
        FloatImage a = image(16, 0.1f);
        FloatImage b = image(16, 0.2f);
        gl.call(() -> {
            try (GpuImageCache cache = new GpuImageCache("test image", 1 << 20)) {
                cache.beginStep();
                GlBuffer ga = cache.get(a);
                GlBuffer gb = cache.get(b);
                cache.beginStep();
                assertSame(ga, cache.get(a));
                assertSame(gb, cache.get(b));
                assertEquals(2, cache.uploads());
                assertArrayEquals(b.data(), gb.readFloats(b.data().length));
                // changed in place: the fingerprint tells, and the GPU copy follows
                b.data()[0] = 0.9f;
                assertSame(gb, cache.get(b));
                assertEquals(3, cache.uploads());
                assertArrayEquals(b.data(), gb.readFloats(b.data().length));
                // the same pixels in another array are another image
                cache.get(new FloatImage(16, 16, 3, a.data().clone()));
                assertEquals(4, cache.uploads());
            }
            return null;
        });
    }

    @Test
    void theBudgetDropsOldImagesButNoneOfThisStep() {
        GlContext gl = SharedContext.get();
        long imageBytes = 4L * 3 * 16 * 16;
        FloatImage[] images = new FloatImage[5];
        for (int i = 0; i < images.length; i++) {
            images[i] = image(16, i);
        }
        gl.call(() -> {
            try (GpuImageCache cache = new GpuImageCache("test image", 2 * imageBytes)) {
                cache.beginStep();
                for (FloatImage im : images) {
                    cache.get(im); // all five in one step: over budget, yet all kept
                }
                assertEquals(5, cache.size());
                cache.beginStep();
                cache.get(images[4]); // the next upload evicts the older ones down to the budget
                cache.get(image(16, 9));
                assertEquals(2, cache.size());
                assertTrue(cache.bufferBytes() <= 2 * imageBytes, "bytes " + cache.bufferBytes());
                long before = cache.uploads();
                cache.get(images[4]);
                assertEquals(before, cache.uploads(), "the most recent image stays");
                cache.get(images[0]);
                assertEquals(before + 1, cache.uploads(), "an evicted image is uploaded again");
            }
            return null;
        });
    }
}
