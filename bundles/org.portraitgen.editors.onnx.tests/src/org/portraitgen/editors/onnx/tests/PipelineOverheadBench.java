package org.portraitgen.editors.onnx.tests;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.editors.onnx.internal.diffusion.InstructPix2PixPipeline;
import org.portraitgen.editors.onnx.internal.model.ModelFolder;

/**
 * What the Java side of the InstructPix2Pix pipeline costs at 512² without the networks: the tiny stand-in models
 * take microseconds, so the time is tokenizing, tensor copies into and out of ONNX Runtime, guidance, DDIM and
 * image conversion (plus opening and hashing a folder). The real UNet's cost comes on top and is not measurable
 * here (no weights). A main class printing a table; run with the tests bundle's classes, the editors bundle's, the
 * api's, core's, ONNX Runtime's and Jackson's jars on the class path and {@code -Dportraitgen.project.root=REPO}.
 */
public final class PipelineOverheadBench {

    private PipelineOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("ip2p-bench");
        TinyModels.pix2pixFolder(dir);
        long open0 = System.nanoTime();
        try (ModelFolder folder = ModelFolder.open(dir, InstructPix2PixPipeline.requirements(), 2)) {
            long openMs = (System.nanoTime() - open0) / 1_000_000;
            InstructPix2PixPipeline pipeline = new InstructPix2PixPipeline(folder);
            FloatImage image = InstructPix2PixPipelineTest.imageOf(512, 512);
            var settings = new InstructPix2PixPipeline.Settings(10, 7.5, 1.5, 0.65, 1);
            pipeline.edit(image, "make it bronze", settings);
            int runs = 5;
            long[] ms = new long[runs];
            long cpu0 = cpuNanos();
            for (int i = 0; i < runs; i++) {
                long t = System.nanoTime();
                pipeline.edit(image, "make it bronze", settings);
                ms[i] = (System.nanoTime() - t) / 1_000_000;
            }
            long cpuMs = (cpuNanos() - cpu0) / 1_000_000 / runs;
            Arrays.sort(ms);
            System.out.printf("machine: %d cores, %s, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("os.arch"), ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            System.out.printf("%-44s %10s %10s %10s%n", "InstructPix2Pix, tiny models, 512x512", "median ms", "min ms",
                    "cpu ms");
            System.out.printf("%-44s %10d %10d %10d%n", "10 DDIM steps x 3-way batch, encode, decode", ms[runs / 2],
                    ms[0], cpuMs);
            System.out.printf("%-44s %10d%n", "open folder (hash 5 files, 4 sessions)", openMs);
        }
    }

    private static long cpuNanos() {
        return ProcessHandle.current().info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    }
}
