package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.video.EncodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.testing.TestData;

/**
 * Writing to a full disk or a read-only folder fails with an error that names the file and the cause, and leaves no
 * partial file; a temp file a killed process left beside the output is removed by the next write. The full disk is a
 * real 64 KiB tmpfs filled to its last 4 KiB and the read-only folder a read-only tmpfs (as root a chmod would not stop the writes); where this
 * process may not mount, those two tests are reported as skipped with the reason.
 */
class OutputFailureTest {

    @TempDir
    static Path work;
    static VideoIO io;
    static FrameStore frames;
    Path mounted;

    @BeforeAll
    static void frames() throws Exception {
        io = TestData.service(VideoIO.class, null);
        frames = Stores.synthetic(io, work.resolve("frames"), 256, 256, 24);
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted != null) {
            run("umount", mounted.toString());
        }
    }

    private static boolean run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private Path tmpfs(String name, String options) throws Exception {
        Path dir = Files.createDirectories(work.resolve(name));
        Assumptions.assumeTrue(run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()),
                "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)");
        mounted = dir;
        return dir;
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aFullDiskFailsClearlyAndLeavesNoPartialFile() throws Exception {
        Path full = tmpfs("full", "size=64k");
        // leave a little room: the encoder starts writing, then the disk is full
        Path filler = full.resolve("filler.bin");
        Files.write(filler, new byte[(int) Files.getFileStore(full).getUsableSpace() - 4096]);
        Path target = full.resolve("clip.mp4");
        IOException e = assertThrows(IOException.class,
                () -> io.encodeMp4(frames, target, EncodeOptions.DEFAULT, f -> { }));
        // FFmpeg's muxer reports no failed write: the box walk of the finished temp file is what catches it
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("came out incomplete")
                && e.getMessage().contains("disk full"), e.getMessage());
        assertEquals(List.of("filler.bin"), names(full), "nothing is left on the full disk");
        IOException png = assertThrows(IOException.class,
                () -> io.encodePngSequence(frames, full.resolve("seq"), f -> { }));
        assertTrue(png.getMessage().contains(full.toString()), png.getMessage());
        assertEquals(List.of("filler.bin"), names(full));
    }

    @Test
    void aReadOnlyFolderFailsClearlyAndLeavesNothing() throws Exception {
        Path readOnly = tmpfs("read-only", "ro,size=1m");
        IOException e = assertThrows(IOException.class,
                () -> io.encodeMp4(frames, readOnly.resolve("clip.mp4"), EncodeOptions.DEFAULT, f -> { }));
        assertTrue(e.getMessage().contains(readOnly.toString()) && e.getMessage().toLowerCase().contains("read-only"),
                e.getMessage());
        assertEquals(List.of(), names(readOnly));
    }

    @Test
    void aTempFileOfAKilledWriterIsRemovedByTheNextWrite() throws Exception {
        Path out = Files.createDirectories(work.resolve("out"));
        Path target = out.resolve("clip.mp4");
        // a writer of this machine whose process is gone, and one of a live process (this one), which must stay
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        String host = java.net.InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9_]", "_");
        Path stale = Files.writeString(out.resolve(".clip.mp4." + host + "-" + gone.pid() + "-0badf00d.tmp"), "x");
        Path live = Files.writeString(out.resolve(".clip.mp4." + host + "-" + ProcessHandle.current().pid()
                + "-c0ffee00.tmp"), "y");
        io.encodeMp4(frames, target, EncodeOptions.DEFAULT, f -> { });
        assertTrue(Files.notExists(stale), "the killed writer's temp file is gone");
        assertTrue(Files.exists(live), "a live writer's temp file is left alone");
        Files.delete(live);
        assertEquals(List.of("clip.mp4"), names(out));
    }
}
