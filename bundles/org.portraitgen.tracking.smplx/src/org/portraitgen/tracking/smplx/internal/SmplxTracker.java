package org.portraitgen.tracking.smplx.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;
import org.portraitgen.tracking.smplx.internal.io.SmplxTrackingFolder;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;
import org.portraitgen.tracking.smplx.internal.model.ModelFiles;

/**
 * Tracker {@value #ID}: runs the default (MediaPipe) tracker for the 468-point face landmarks, then fits the user's
 * SMPL-X / SMPL / FLAME model to them (shared shape, per-frame expression, face joints and translation) and writes the
 * fitted mesh per frame, with the model's topology and UVs, as the rig.
 */
@Component(service = Tracker.class, property = Tracker.ID_PROPERTY + "=" + SmplxTracker.ID)
public class SmplxTracker implements Tracker {

    public static final String ID = "smplx";
    static final String MODEL_PARAMETER = "model_path";
    /** Where the face tracker's own folder goes inside ours. */
    static final String FACE_FOLDER = "face";

    /** Static and mandatory: the face landmarks come from the default tracker. */
    @Reference(target = "(" + Tracker.ID_PROPERTY + "=mediapipe)")
    private Tracker faceTracker;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "SMPL-X / SMPL / FLAME fitted to the face mesh (user-supplied model files)";
    }

    @Override
    public void track(FrameStore frames, FrameStore masks, Path outputDir, NodeContext context) throws Exception {
        String setting = context.parameters().has(MODEL_PARAMETER) ? context.parameters().string(MODEL_PARAMETER)
                : null;
        BodyModel model;
        try {
            model = ModelFiles.load(ModelFiles.configured(setting));
        } catch (IOException e) {
            throw new InvalidInputException("parameter '" + MODEL_PARAMETER + "': " + e.getMessage(), e);
        }
        context.log("model " + model.source + " (" + model.kind + ": " + model.vertexCount + " vertices, "
                + model.jointCount + " joints, " + model.shapeCount + " shape and " + model.expressionCount
                + " expression components, " + model.landmarkCount() + " landmarks)");
        Path faceDir = outputDir.resolve(FACE_FOLDER);
        java.nio.file.Files.createDirectories(faceDir);
        faceTracker.track(frames, masks, faceDir, new ScaledProgressContext(context, 0, 0.5));
        FaceLandmarks face = FaceLandmarks.read(faceDir);
        FitSettings settings = FitSettings.DEFAULT;
        ClipFitter.Result r = SmplxClip.track(model, face, settings, outputDir, ID, done -> {
            context.checkCancelled();
            context.progress(0.5 + 0.45 * done, "fitting " + model.kind);
        });
        context.log(String.format("fitted %d frames: mean landmark reprojection %.2f px", r.frames().size(),
                r.meanRmsPx()));
        context.progress(1, "tracked");
    }

    @Override
    public Rig load(Path trackingDir) throws IOException {
        return SmplxTrackingFolder.read(trackingDir);
    }
}
