package org.portraitgen.tracking.dlib.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.portraitgen.tracking.dlib.internal.GrayImage;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.testing.TestData;

/**
 * dlib itself: {@code native/dlib_landmarks.cpp} compiled against Debian's libdlib-dev with g++ into this module's
 * {@code target/} (once; again when the source is newer), fed frames as PPM files and boxes, its output parsed.
 */
final class DlibReference {

    /** One line of the program's output: the box it used and its parts as integers (dlib::point). */
    record Fit(long[] box, long[] points) {
    }

    static final Path MODULE = Path.of(System.getProperty("portraitgen.project.root", "."))
            .resolve("bundles/org.portraitgen.tracking.dlib.tests").toAbsolutePath().normalize();

    private DlibReference() {
    }

    static Path program() throws IOException, InterruptedException {
        Path source = MODULE.resolve("native/dlib_landmarks.cpp");
        Path binary = MODULE.resolve("target/dlib_landmarks");
        if (Files.isExecutable(binary)
                && Files.getLastModifiedTime(binary).compareTo(Files.getLastModifiedTime(source)) >= 0) {
            return binary;
        }
        Files.createDirectories(binary.getParent());
        // Debian's dlib-1.pc: -ldlib plus the BLAS/LAPACK/PNG/JPEG it was built with
        String libs = new String(run(List.of("pkg-config", "--libs", "dlib-1"), MODULE), StandardCharsets.UTF_8).trim();
        List<String> cmd = new ArrayList<>(List.of("g++", "-O2", "-std=c++14", "-o", binary.toString(),
                source.toString()));
        cmd.addAll(List.of(libs.split("\\s+")));
        run(cmd, MODULE);
        return binary;
    }

    /** dlib's fit per line of {@code list} ("FRAME.ppm L T R B" or "FRAME.ppm detect"); null where none. */
    static List<Fit> fit(Path model, Path list) throws IOException, InterruptedException {
        String out = new String(run(List.of(program().toString(), model.toString(), list.toString()),
                list.getParent()), StandardCharsets.UTF_8);
        List<Fit> fits = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            if (line.equals("none")) {
                fits.add(null);
                continue;
            }
            String[] f = line.trim().split(" ");
            long[] v = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                v[i] = Long.parseLong(f[i]);
            }
            long[] pts = new long[v.length - 4];
            System.arraycopy(v, 4, pts, 0, pts.length);
            fits.add(new Fit(new long[] { v[0], v[1], v[2], v[3] }, pts));
        }
        return fits;
    }

    static void writePpm(FloatImage rgb, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(("P6\n" + rgb.width() + " " + rgb.height() + "\n255\n").getBytes(StandardCharsets.US_ASCII));
            out.write(GrayImage.rgbBytes(rgb));
        }
    }

    private static byte[] run(List<String> cmd, Path dir) throws IOException, InterruptedException {
        Path log = Files.createTempFile("dlib-reference", ".log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(log.toFile()).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + Files.readString(log)
                + "\n(libdlib-dev and g++ come from releng/setup-machine.sh; data: " + TestData.sharedData() + ")");
        Files.deleteIfExists(log);
        return out;
    }
}
