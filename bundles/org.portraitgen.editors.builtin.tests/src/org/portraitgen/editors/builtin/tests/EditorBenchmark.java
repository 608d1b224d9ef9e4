package org.portraitgen.editors.builtin.tests;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.File;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.core.Images;
import org.portraitgen.editors.builtin.internal.CartoonEditor;
import org.portraitgen.editors.builtin.internal.InsertionEditor;
import org.portraitgen.editors.builtin.internal.LegoEditor;
import org.portraitgen.editors.builtin.internal.OilPaintingEditor;
import org.portraitgen.editors.builtin.internal.PainterlyEditor;
import org.portraitgen.editors.builtin.internal.PencilSketchEditor;
import org.portraitgen.editors.builtin.internal.PixelArtEditor;
import org.portraitgen.editors.builtin.internal.RelightEditor;
import org.portraitgen.editors.builtin.internal.StyleTransferEditor;
import org.portraitgen.editors.builtin.internal.StylizationEditor;

/**
 * Times every builtin editor at 512x512 (median and minimum wall time of 5 runs after one warm-up, and the process's
 * CPU time per run, which other load on a shared machine disturbs much less) and prints a table. A main class, not a
 * test: timings belong in a report, not in a pass/fail check. Runs on a plain class path (see the tests bundle's
 * README line in the report) with arguments {@code IMAGE REFERENCE}.
 */
public final class EditorBenchmark {

    private static final int SIZE = 512;
    private static final int RUNS = 5;

    private EditorBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        FloatImage image = load(args[0]);
        FloatImage reference = load(args[1]);
        FloatImage mask = new FloatImage(SIZE, SIZE, 1);
        Arrays.fill(mask.data(), 1f);
        List<EditorProvider> editors = List.of(new StylizationEditor(), new PencilSketchEditor(),
                new CartoonEditor(), new OilPaintingEditor(), new PainterlyEditor(), new PixelArtEditor(),
                new LegoEditor(), new StyleTransferEditor(), new RelightEditor(), new InsertionEditor());
        System.out.printf("%-24s %10s %10s %10s%n", "editor (512x512)", "median ms", "min ms", "cpu ms");
        for (EditorProvider editor : editors) {
            EditRequest request = new EditRequest(image, mask, reference, null, "benchmark", 1.0, 1, Map.of());
            editor.edit(request);
            long[] ms = new long[RUNS];
            long cpu0 = cpuNanos();
            for (int i = 0; i < RUNS; i++) {
                long t = System.nanoTime();
                editor.edit(request);
                ms[i] = (System.nanoTime() - t) / 1_000_000;
            }
            long cpuMs = (cpuNanos() - cpu0) / 1_000_000 / RUNS;
            Arrays.sort(ms);
            System.out.printf("%-24s %10d %10d %10d%n", editor.descriptor().id(), ms[RUNS / 2], ms[0], cpuMs);
        }
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors());
    }

    /** CPU time of the whole process, native OpenCV threads included. */
    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }

    private static FloatImage load(String file) throws Exception {
        BufferedImage src = ImageIO.read(new File(file));
        BufferedImage sq = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = sq.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(src, 0, 0, SIZE, SIZE, null);
        g.dispose();
        return Images.toFloat(sq, 3);
    }
}
