package org.portraitgen.editors.builtin.internal;

import static org.bytedeco.opencv.global.opencv_core.BORDER_REPLICATE;
import static org.bytedeco.opencv.global.opencv_core.copyMakeBorder;

import java.util.List;
import java.util.Set;

import org.bytedeco.opencv.global.opencv_photo;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Point;
import org.bytedeco.opencv.opencv_core.Rect;
import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Object or garment insertion: the reference is warped into the mask's bounding box and blended in with Poisson
 * (seamless) cloning, so its gradients are kept while its colours meet the surroundings at the mask's edge.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + InsertionEditor.ID)
public final class InsertionEditor extends BuiltinEditor {

    static final String ID = "builtin.insert";

    /** Keeps the mask off the frame's border, where OpenCV's Poisson solver has no boundary to work from. */
    private static final int PAD = 4;

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Insert object",
                "The reference image warped into the mask's box and Poisson-blended (seamless cloning).",
                List.of(ParameterSpec.choice("fit", "stretch the reference to the box, or cover it keeping the "
                        + "aspect ratio", "cover", List.of("cover", "stretch")),
                        ParameterSpec.choice("clone", "normal: the reference's texture; mixed: the stronger gradient "
                                + "of either", "normal", List.of("normal", "mixed"))),
                Set.of(EditorInput.MASK, EditorInput.REFERENCE_IMAGE), Set.of(), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        int[] box = MaskBox.of(request.mask());
        if (box == null) {
            return image.copy();
        }
        FloatImage placed = ReferenceWarp.into(image, request.reference(), box, params.choice("fit").equals("cover"));
        if (box[2] < 3 || box[3] < 3) {
            // too small for a Poisson solve to mean anything: paste
            return placed;
        }
        int flags = params.choice("clone").equals("mixed") ? opencv_photo.MIXED_CLONE : opencv_photo.NORMAL_CLONE;
        try (Mat dst0 = Mats.toBgr(image); Mat src0 = Mats.toBgr(placed); Mat mask0 = Mats.toGray(binary(request.mask()), 0);
                Mat dst = new Mat(); Mat src = new Mat(); Mat mask = new Mat(); Mat blend = new Mat()) {
            copyMakeBorder(dst0, dst, PAD, PAD, PAD, PAD, BORDER_REPLICATE);
            copyMakeBorder(src0, src, PAD, PAD, PAD, PAD, BORDER_REPLICATE);
            copyMakeBorder(mask0, mask, PAD, PAD, PAD, PAD, org.bytedeco.opencv.global.opencv_core.BORDER_CONSTANT);
            // OpenCV centres the mask's bounding box on this point: the box's own centre keeps it in place
            Point centre = new Point(PAD + box[0] + box[2] / 2, PAD + box[1] + box[3] / 2);
            opencv_photo.seamlessClone(src, dst, mask, centre, blend, flags);
            try (Mat crop = new Mat(blend, new Rect(PAD, PAD, image.width(), image.height()))) {
                return Mats.toRgb(crop);
            }
        }
    }

    private static FloatImage binary(FloatImage mask) {
        FloatImage b = new FloatImage(mask.width(), mask.height(), 1);
        for (int i = 0; i < b.data().length; i++) {
            b.data()[i] = mask.data()[i] > 0.5f ? 1 : 0;
        }
        return b;
    }
}
