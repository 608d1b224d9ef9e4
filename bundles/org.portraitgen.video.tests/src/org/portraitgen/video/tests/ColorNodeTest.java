package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CancellationException;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.video.DecodeOptions;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.FrameStoreWriter;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.testing.RecordingNodeContext;
import org.portraitgen.testing.TestData;

/** The {@code video.color} node as the pipeline uses it: the registered service, on a tiny store with sound. */
class ColorNodeTest {

    @TempDir
    static Path work;

    static VideoIO io;
    static NodeProvider color;
    /** 5 frames of 96x64 bands with a tone, decoded from a clip made with FFmpegFrameRecorder. */
    static FrameStore input;

    @BeforeAll
    static void setUp() throws Exception {
        io = TestData.service(VideoIO.class, null);
        color = TestData.service(NodeProvider.class, "(" + NodeProvider.TYPE_PROPERTY + "=video.color)");
        Path clip = SyntheticVideo.write(work.resolve("clip.mp4"), 96, 64, 5, 25, true);
        input = io.decode(clip, work.resolve("input"), DecodeOptions.ALL, f -> { });
    }

    private FrameStore run(String id, Object... params) throws Exception {
        RecordingNodeContext ctx = new RecordingNodeContext(id, work).input("frames", input.directory());
        for (int i = 0; i < params.length; i += 2) {
            ctx.param((String) params[i], params[i + 1]);
        }
        color.execute(ctx);
        assertEquals(1.0, ctx.progress.get(ctx.progress.size() - 1), 1e-9);
        return io.open(ctx.output("frames"));
    }

    @Test
    void describesItself() {
        assertEquals("video.color", color.descriptor().type());
        assertEquals("Look", color.descriptor().category());
        assertTrue(color.descriptor().parameter("look").orElseThrow().choices().contains("teal-orange"));
    }

    @Test
    void identityGivesTheInputBack() throws Exception {
        FrameStore out = run("identity");
        for (int i = 0; i < input.info().frameCount(); i++) {
            assertArrayEquals(input.read(i).data(), out.read(i).data(), 0.5f / 255, "frame " + i);
        }
    }

    @Test
    void monoGivesEqualChannels() throws Exception {
        FrameStore out = run("mono", "look", "mono");
        FloatImage f = out.read(4);
        int plane = f.planeSize();
        for (int i = 0; i < plane; i++) {
            assertEquals(f.data()[i], f.data()[plane + i], 0, "R = G at " + i);
            assertEquals(f.data()[i], f.data()[2 * plane + i], 0, "R = B at " + i);
        }
        assertTrue(DecodeTest.mean(f) > 0.1, "not black");
    }

    @Test
    void keepsTimingAndSound() throws Exception {
        FrameStore out = run("warm", "look", "warm-film", "exposure", 0.5);
        assertEquals(input.info().timestampsUs(), out.info().timestampsUs());
        assertEquals(input.info().frameRate(), out.info().frameRate());
        assertEquals("audio.wav", out.info().audioFile());
        assertArrayEquals(Files.readAllBytes(input.directory().resolve("audio.wav")),
                Files.readAllBytes(out.directory().resolve("audio.wav")));
        assertEquals(input.info().source(), out.info().source());
        double[] before = DecodeTest.channelMeans(input.read(2));
        double[] after = DecodeTest.channelMeans(out.read(2));
        assertTrue(after[0] + after[1] + after[2] > before[0] + before[1] + before[2], "half a stop brighter");
        assertTrue(after[0] - after[2] > before[0] - before[2], "and warmer");
    }

    @Test
    void cancellationStopsWithinAFrameAndLeavesNothing() throws Exception {
        RecordingNodeContext ctx = new RecordingNodeContext("cancelled", work).input("frames", input.directory())
                .cancelAfter(2);
        assertThrows(CancellationException.class, () -> color.execute(ctx));
        assertEquals(2, ctx.progress.size(), "stopped at the next frame");
        assertEquals(0, Stores.entries(ctx.output("frames")), "the staging folder stays empty");
        assertEquals(0, Stores.hiddenEntries(ctx.outputRoot()), "no temp folder is left");
    }

    @Test
    void badParametersAndInputsNameTheirSource() throws Exception {
        RecordingNodeContext badLook = new RecordingNodeContext("grade7", work).input("frames", input.directory())
                .param("look", "sepia");
        NodeException e = assertThrows(NodeException.class, () -> color.execute(badLook));
        assertTrue(e.getMessage().contains("grade7") && e.getMessage().contains("'look'")
                && e.getMessage().contains("sepia"), e.getMessage());

        RecordingNodeContext tooBright = new RecordingNodeContext("grade8", work).input("frames", input.directory())
                .param("exposure", 9);
        e = assertThrows(NodeException.class, () -> color.execute(tooBright));
        assertTrue(e.getMessage().contains("'exposure'"), e.getMessage());

        RecordingNodeContext unconnected = new RecordingNodeContext("grade9", work);
        e = assertThrows(NodeException.class, () -> color.execute(unconnected));
        assertTrue(e.getMessage().contains("input 'frames'"), e.getMessage());

        Path masks = work.resolve("masks");
        try (FrameStoreWriter w = io.create(masks, 4, 4, 1, 25)) {
            w.append(new FloatImage(4, 4, 1), 0);
            w.finish();
        }
        RecordingNodeContext grey = new RecordingNodeContext("grade10", work).input("frames", masks);
        e = assertThrows(NodeException.class, () -> color.execute(grey));
        assertTrue(e.getMessage().contains("1-channel"), e.getMessage());
    }
}
