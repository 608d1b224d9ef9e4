package org.portraitgen.video.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A video file that cannot be used, with the reason as a {@link Problem} so callers and tests can tell the cases
 * apart without parsing text. The message names the file and says what is wrong with it.
 */
public class VideoFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Why a file was refused. */
    public enum Problem {
        MISSING, EMPTY, NOT_A_VIDEO, TRUNCATED, CORRUPT, TOO_LARGE, NO_DECODER
    }

    private final Problem problem;

    public VideoFileException(Problem problem, Path file, String what) {
        this(problem, file, what, null);
    }

    public VideoFileException(Problem problem, Path file, String what, Throwable cause) {
        super("Video file " + file + ": " + what, cause);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
