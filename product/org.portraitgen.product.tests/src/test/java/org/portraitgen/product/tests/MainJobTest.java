package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's main job, graphs/default.json, run by the installed product on sample clips. */
class MainJobTest {

    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of("PORTRAITGEN_CACHE", dir.resolve("cache").toString());
    }

    private Product.Result runDefault(Path video, Path output, String... extra) throws Exception {
        String[] args = new String[5 + extra.length];
        args[0] = "run";
        args[1] = Product.projectRoot().resolve("graphs/default.json").toString();
        args[2] = "--set=decode.file=" + video;
        args[3] = "--set=encode.output=" + output;
        args[4] = "--isolation=in-process";
        System.arraycopy(extra, 0, args, 5, extra.length);
        return Product.run(dir, env(), args);
    }

    @Test
    void defaultGraphEditsTheSampleClipAndARerunIsServedFromCache() throws Exception {
        Path output = dir.resolve("out/d0-edited.mp4");
        Product.Result first = runDefault(Product.projectRoot().resolve("samples/d0.mp4"), output);
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().contains("3 node(s) executed"), first::toString);
        Product.Result probe = Product.run(dir, env(), "probe", output.toString());
        assertEquals(0, probe.exitCode(), probe::toString);
        assertTrue(probe.out().contains("512x512") && probe.out().contains("78 frames"), probe::toString);

        Files.delete(output);
        Product.Result again = runDefault(Product.projectRoot().resolve("samples/d0.mp4"), output);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("0 node(s) executed, 3 from cache"), again::toString);
        assertTrue(Files.exists(output), "a cached run publishes the video again");
    }

    @Test
    void usersOwnVideoOfAnotherSizeWorksInWorkerProcesses() throws Exception {
        Path output = dir.resolve("d6.mp4");
        Product.Result r = Product.run(dir, env(), "run",
                Product.projectRoot().resolve("graphs/default.json").toString(),
                "--set=decode.file=" + Product.sharedData().resolve("video/d6.mp4"), "--set=decode.max_frames=20",
                "--set=encode.output=" + output, "--set=grade.look=mono", "--isolation=worker");
        assertEquals(0, r.exitCode(), r::toString);
        Product.Result probe = Product.run(dir, env(), "probe", output.toString());
        assertTrue(probe.out().contains("480x480") && probe.out().contains("20 frames"), probe::toString);
    }

    @Test
    void truncatedVideoIsRefusedByNameAndNothingIsWritten() throws Exception {
        byte[] d0 = Files.readAllBytes(Product.projectRoot().resolve("samples/d0.mp4"));
        Path truncated = Files.write(dir.resolve("truncated.mp4"), java.util.Arrays.copyOf(d0, 150_000));
        Path output = dir.resolve("out/never.mp4");
        Product.Result r = runDefault(truncated, output);
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().contains("truncated.mp4") && r.err().contains("'decode'"), r::toString);
        assertFalse(Files.exists(output));
        Product.Result probe = Product.run(dir, env(), "probe", truncated.toString());
        assertEquals(2, probe.exitCode(), probe::toString);
    }

    @Test
    void terminalGetsARedrawnProgressBarWithEta() throws Exception {
        // 'script' gives the launcher a pseudo-terminal, as a person's shell would
        Path output = dir.resolve("tty.mp4");
        String cmd = Product.home().resolve("portraitgen") + " run "
                + Product.projectRoot().resolve("graphs/default.json") + " --set=decode.file="
                + Product.projectRoot().resolve("samples/d0.mp4") + " --set=encode.output=" + output
                + " --isolation=in-process";
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").directory(dir.toFile());
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String screen = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), screen);
        assertTrue(screen.contains("\r[") && screen.contains("%") && screen.contains("ETA"), screen);
    }
}
