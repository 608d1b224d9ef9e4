package org.portraitgen.cli.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.portraitgen.api.video.VideoIO;
import org.portraitgen.api.video.VideoProbe;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "probe", description = "Print what a video file holds (size, frame rate, frames, audio) without "
        + "decoding it; a file that cannot be used is named with the reason.")
public final class ProbeCommand implements Callable<Integer> {

    private final CliEnvironment env;

    @Parameters(index = "0", paramLabel = "VIDEO")
    Path video;

    public ProbeCommand(CliEnvironment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        Path file = env.cwd().resolve(video).toAbsolutePath().normalize();
        try {
            VideoProbe p = env.service(VideoIO.class).probe(file);
            env.out().printf("%s: %s, %s, %dx%d, %.3f fps, %d frames, %.2f s, %s%n", file, p.format(),
                    p.videoCodec(), p.width(), p.height(), p.frameRate(), p.frameCount(), p.durationUs() / 1e6,
                    p.hasAudio() ? "with audio" : "no audio");
            return Cli.OK;
        } catch (IOException e) {
            env.err().println("portraitgen: " + e.getMessage());
            return Cli.INVALID;
        }
    }
}
