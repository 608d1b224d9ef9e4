package org.portraitgen.tracking.internal.face;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Which face to follow when a frame shows several. */
public enum FaceChoice {
    /** Fail when a second face of comparable size is present: the user must choose. */
    ONLY,
    LARGEST,
    /** The face nearest the frame centre. */
    CENTER;

    /** A second face counts as a rival when its box is at least this fraction of the largest one's area. */
    static final double RIVAL_AREA = 0.35;

    /** The chosen face, or empty when the choice is {@link #ONLY} and rivals exist; empty list gives empty. */
    Optional<Detection> choose(List<Detection> faces, int width, int height) {
        if (faces.isEmpty()) {
            return Optional.empty();
        }
        Detection largest = faces.stream().max(Comparator.comparingDouble(Detection::area)).orElseThrow();
        return switch (this) {
        case LARGEST -> Optional.of(largest);
        case CENTER -> faces.stream().min(Comparator.comparingDouble(
                d -> Math.hypot(d.centerX() - width / 2.0, d.centerY() - height / 2.0)));
        case ONLY -> faces.stream().filter(d -> d != largest && d.area() >= RIVAL_AREA * largest.area()).findAny()
                .isPresent() ? Optional.empty() : Optional.of(largest);
        };
    }
}
