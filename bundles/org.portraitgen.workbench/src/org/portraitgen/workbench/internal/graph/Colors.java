package org.portraitgen.workbench.internal.graph;

import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.RGB;

/** The canvas colours: a dark, low-contrast ground so that images and port colours stand out, as in compositors. */
final class Colors {
    static final Color BACKGROUND = new Color(38, 39, 43);
    static final Color GRID = new Color(48, 50, 55);
    static final Color NODE = new Color(60, 63, 70);
    static final Color NODE_TEXT = new Color(225, 228, 232);
    static final Color DIM_TEXT = new Color(160, 165, 172);
    static final Color SELECTED = new Color(255, 196, 61);
    static final Color INVALID = new Color(232, 72, 64);
    static final Color MISSING = new Color(110, 110, 110);
    static final Color THUMB_BACK = new Color(24, 25, 28);

    private Colors() {
    }

    /** A stable, saturated colour per port type, so that matching ports look alike. */
    static Color port(String typeId) {
        if (typeId == null) {
            return MISSING;
        }
        // the api's own types get hues far apart, so that frames and masks never look alike; others hash
        Float fixed = switch (typeId) {
            case "frames" -> 25f;
            case "masks" -> 190f;
            case "tracking" -> 130f;
            case "field" -> 285f;
            case "video" -> 330f;
            case "text" -> 220f;
            default -> null;
        };
        float hue = fixed != null ? fixed : Math.floorMod(typeId.hashCode() * 2654435761L, 360L);
        return new Color(new RGB(hue, 0.55f, 0.95f));
    }

    /** Header tint per category, quieter than port colours. */
    static Color header(String category) {
        float hue = Math.floorMod(category.hashCode() * 40503L, 360L);
        return new Color(new RGB(hue, 0.35f, 0.45f));
    }
}
