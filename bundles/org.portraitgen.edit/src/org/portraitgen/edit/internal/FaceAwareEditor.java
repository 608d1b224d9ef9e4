package org.portraitgen.edit.internal;

import java.util.Map;

import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.tracking.RigState;

/**
 * One key frame's edit through an installed {@link EditorProvider}: the whole frame at the editor's resolution and,
 * when face-aware, the head again on a crop of {@code faceScale} x the tracked face box at that resolution, blended
 * back with the dilated, feathered head mask. Small faces in upper-body shots get the editor's full resolution.
 */
public final class FaceAwareEditor implements EditLoop.FrameEditor {

    /** Crop size for editors that work at any size (resolution 0). */
    static final int DEFAULT_CROP = 256;

    private final EditorProvider editor;
    private final FloatImage reference;
    private final String prompt;
    private final double strength;
    private final long seed;
    private final Map<String, Object> parameters;
    private final boolean faceAware;
    private final double faceScale;

    public FaceAwareEditor(EditorProvider editor, FloatImage reference, String prompt, double strength, long seed,
            Map<String, Object> parameters, boolean faceAware, double faceScale) {
        this.editor = editor;
        this.reference = reference;
        this.prompt = prompt;
        this.strength = strength;
        this.seed = seed;
        this.parameters = Map.copyOf(parameters);
        this.faceAware = faceAware;
        this.faceScale = faceScale;
    }

    @Override
    public FloatImage edit(int frame, RigState state, FloatImage render, FloatImage mask, double noise, int round)
            throws Exception {
        double s = strength * noise;
        long roundSeed = seed + round;
        int res = editor.descriptor().resolution();
        int w = render.width(), h = render.height();
        FloatImage whole = res > 0
                ? Planes.resize(editOnce(Planes.resize(render, res, res), mask == null ? null
                        : Planes.resize(mask, res, res), s, roundSeed), w, h)
                : editOnce(render, mask, s, roundSeed);
        if (!faceAware) {
            return whole;
        }
        double[] face = FaceLandmarks.of(state);
        HeadCrop crop = HeadCrop.around(face, faceScale);
        int size = res > 0 ? res : Math.max(DEFAULT_CROP, Math.max(w, h));
        FloatImage headEdit = editOnce(crop.cut(render, size), mask == null ? null : crop.cut(mask, size), s,
                roundSeed);
        FloatImage headMask = crop.headMask(face, w, h, blendDilation(crop), blendFeather(crop));
        return Planes.blend(whole, crop.paste(headEdit, w, h), headMask);
    }

    /** How far the head mask reaches past the face points: hair and ears, a fifth of the crop. */
    static double blendDilation(HeadCrop crop) {
        return crop.side() * 0.2 / 1.7;
    }

    static double blendFeather(HeadCrop crop) {
        return Math.max(1, crop.side() * 0.04);
    }

    private FloatImage editOnce(FloatImage image, FloatImage mask, double s, long roundSeed) throws Exception {
        return editor.edit(new EditRequest(image, mask, reference, null, prompt, Math.max(0, Math.min(1, s)),
                roundSeed, parameters));
    }
}
