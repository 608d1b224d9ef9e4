package org.portraitgen.field.internal.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.field.internal.bind.TriangleBinding;
import org.portraitgen.field.internal.bind.UvSampler;

/**
 * What a lift trains on: the rig's topology and UV layout plus the training frames (target RGB, optional mask, rig
 * state with the camera scaled to the training size). The Lift node builds its field from this, and the lift
 * benchmark reads the same thing from a file written once by the {@code field.export-lift-inputs} node, so that it
 * trains exactly what the node would without the video, matting and tracking bundles.
 *
 * <p>Stored by {@link LiftInputsFile}.
 */
public record LiftInputs(int vertexCount, int[] triangles, float[] uvs, List<TrainingFrame> frames) {
    public LiftInputs {
        if (frames.isEmpty()) {
            throw new IllegalArgumentException("a lift needs at least one frame");
        }
        if (triangles.length % 3 != 0 || uvs.length != 2 * vertexCount) {
            throw new IllegalArgumentException("topology: " + triangles.length + " triangle indices (not a multiple"
                    + " of 3) or " + uvs.length + " UV coordinates for " + vertexCount + " vertices");
        }
        FloatImage first = frames.get(0).rgb();
        boolean masks = frames.get(0).mask() != null;
        for (TrainingFrame f : frames) {
            if (!f.rgb().sameSize(first) || (f.mask() != null) != masks
                    || f.state().vertices().length != 3 * vertexCount) {
                throw new IllegalArgumentException("frame " + f.state().frame() + ": size, mask or vertex count"
                        + " differs from the first frame's (" + first.width() + "x" + first.height() + ", "
                        + (masks ? "with" : "without") + " mask, " + vertexCount + " vertices)");
            }
        }
        frames = List.copyOf(frames);
    }

    public static LiftInputs of(Rig rig, List<TrainingFrame> frames) {
        return new LiftInputs(rig.vertexCount(), rig.triangles(), rig.uvs(), frames);
    }

    /** Gaussians sampled over the UV map at {@code uvResolution} per side, as the Lift node places them. */
    public TriangleBinding binding(int uvResolution) {
        return UvSampler.sample(vertexCount, triangles, uvs, uvResolution);
    }

    /** The field a lift starts from: initialised on the first frame's mesh. */
    public GaussianField freshField(TriangleBinding binding, int channels, long seed) {
        return GaussianField.initialise(binding, frames.get(0).state().vertices(), channels, seed);
    }

    public int width() {
        return frames.get(0).rgb().width();
    }

    public int height() {
        return frames.get(0).rgb().height();
    }

    public boolean hasMasks() {
        return frames.get(0).mask() != null;
    }

    /** The first {@code n} frames (all if there are fewer). */
    public LiftInputs firstFrames(int n) {
        return n >= frames.size() ? this : new LiftInputs(vertexCount, triangles, uvs, frames.subList(0, n));
    }

    /** Writes the file atomically; see {@link LiftInputsFile}. */
    public void write(Path file) throws IOException {
        LiftInputsFile.write(this, file);
    }

    /** Reads a file written by {@link #write}; a missing, truncated, corrupt or foreign file is an IOException. */
    public static LiftInputs read(Path file) throws IOException {
        return LiftInputsFile.read(file);
    }
}
