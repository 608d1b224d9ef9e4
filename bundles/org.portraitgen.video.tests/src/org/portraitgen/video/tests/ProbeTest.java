package org.portraitgen.video.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;
import org.portraitgen.testing.TestData;

class ProbeTest {

    @Test
    void probesTheSampleClip() throws Exception {
        VideoIO io = TestData.service(VideoIO.class, null);
        VideoProbe p = io.probe(TestData.video("d0.mp4"));
        System.out.println(p);
        assertEquals(512, p.width());
        assertEquals(512, p.height());
        assertEquals("h264", p.videoCodec());
        assertFalse(p.hasAudio(), "d0.mp4 has no sound track");
        assertTrue(p.frameCount() > 50, "about 3 s of video: " + p.frameCount());
        assertTrue(io.probe(TestData.video("d11.mp4")).hasAudio(), "d11.mp4 has a sound track");
    }
}
