package org.portraitgen.product.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    /**
     * The default graph at a size that keeps CI short: every node of the main job runs (decode, matte, track, lift,
     * edit with face-aware editing and expression guidance, render, encode, side by side), on 6 frames and a few
     * steps at 64 pixels.
     */
    static final List<String> SMALL = List.of("--set=decode.max_frames=6", "--set=lift.steps=4",
            "--set=lift.resolution=64", "--set=lift.uv_resolution=24", "--set=lift.checkpoint_every=2",
            "--set=lift.validate_every=2", "--set=edit.steps=4", "--set=edit.reedit_every=2", "--set=edit.key_every=3",
            "--set=edit.resolution=64", "--set=edit.checkpoint_every=2", "--set=render.resolution=64");

    private Product.Result runDefault(Path video, Path output, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", Product.projectRoot().resolve("graphs/default.json")
                .toString(), "--set=decode.file=" + video, "--set=encode.output=" + output,
                "--set=side_encode.output=" + output.resolveSibling("side-by-side.mp4"), "--isolation=in-process"));
        args.addAll(SMALL);
        args.addAll(List.of(extra));
        return Product.run(dir, env(), args.toArray(String[]::new));
    }

    @Test
    void defaultGraphEditsTheSampleClipAndARerunIsServedFromCache() throws Exception {
        Path output = dir.resolve("out/d0-edited.mp4");
        Product.Result first = runDefault(Product.projectRoot().resolve("samples/d0.mp4"), output);
        assertEquals(0, first.exitCode(), first::toString);
        assertTrue(first.out().contains("9 node(s) executed"), first::toString);
        Product.Result probe = Product.run(dir, env(), "probe", output.toString());
        assertEquals(0, probe.exitCode(), probe::toString);
        assertTrue(probe.out().contains("64x64") && probe.out().contains("6 frames"), probe::toString);
        Product.Result side = Product.run(dir, env(), "probe", output.resolveSibling("side-by-side.mp4").toString());
        assertTrue(side.out().contains("512x256") && side.out().contains("6 frames"), side::toString);

        Files.delete(output);
        Product.Result again = runDefault(Product.projectRoot().resolve("samples/d0.mp4"), output);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.out().contains("0 node(s) executed, 9 from cache"), again::toString);
        assertTrue(Files.exists(output), "a cached run publishes the video again");
    }

    @Test
    void usersOwnVideoOfAnotherSizeWorksInWorkerProcesses() throws Exception {
        Path output = dir.resolve("d6.mp4");
        List<String> args = new ArrayList<>(List.of("run", Product.projectRoot().resolve("graphs/default.json")
                .toString(), "--set=decode.file=" + Product.sharedData().resolve("video/d6.mp4"),
                "--set=encode.output=" + output, "--set=side_encode.output=" + dir.resolve("d6-side.mp4"),
                "--isolation=worker"));
        args.addAll(SMALL);
        args.add("--set=edit.editor=builtin.stylization");
        Product.Result r = Product.run(dir, env(), args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        Product.Result probe = Product.run(dir, env(), "probe", output.toString());
        assertTrue(probe.out().contains("64x64") && probe.out().contains("6 frames"), probe::toString);
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
                + " --set=side_encode.output=" + dir.resolve("tty-side.mp4") + " --isolation=in-process "
                + String.join(" ", SMALL);
        ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null").directory(dir.toFile());
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String screen = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), screen);
        assertTrue(screen.contains("\r[") && screen.contains("%") && screen.contains("ETA"), screen);
    }
}
