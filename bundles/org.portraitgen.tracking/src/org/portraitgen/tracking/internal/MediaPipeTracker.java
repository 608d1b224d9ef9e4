package org.portraitgen.tracking.internal;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeException;
import org.portraitgen.api.tracking.Rig;
import org.portraitgen.api.tracking.Tracker;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;
import org.portraitgen.tracking.internal.face.CanonicalFaceMesh;
import org.portraitgen.tracking.internal.face.Detectors;
import org.portraitgen.tracking.internal.face.FaceDetector;
import org.portraitgen.tracking.internal.face.FaceLandmarker;
import org.portraitgen.tracking.internal.io.TrackingRig;
import org.portraitgen.tracking.internal.io.TrackingWriter;
import org.portraitgen.tracking.internal.models.MissingModelException;
import org.portraitgen.tracking.internal.models.ModelFiles;
import org.portraitgen.tracking.internal.overlay.OverlayVideo;
import org.portraitgen.tracking.internal.track.ClipTracker;
import org.portraitgen.tracking.internal.track.FrameStoreClip;
import org.portraitgen.tracking.internal.track.TrackOptions;
import org.portraitgen.tracking.internal.track.TrackResult;

/**
 * The default tracker: MediaPipe face detection and 468-point landmarks through OpenCV DNN, head pose by PnP against
 * the canonical face mesh, a rig of the face mesh plus a shell that covers the person mask. The Haar cascade stands
 * in when the detector model is missing; the landmark model and the canonical mesh are required.
 */
@Component(service = Tracker.class, property = Tracker.ID_PROPERTY + "=" + MediaPipeTracker.ID)
public class MediaPipeTracker implements Tracker {

    public static final String ID = "mediapipe";

    /** Static and mandatory: without frame stores there is nothing to track. */
    @Reference
    private VideoIO videoIO;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String label() {
        return "MediaPipe face mesh (468 points) with hair/shoulder shell";
    }

    @Override
    public void track(FrameStore frames, FrameStore masks, Path outputDir, NodeContext context) throws Exception {
        TrackParameters p = new TrackParameters(context);
        TrackOptions options = p.options();
        ModelFiles models = ModelFiles.fromEnvironment();
        TrackResult result;
        try (FaceDetector detector = Detectors.forModels(models);
                FaceLandmarker landmarker = new FaceLandmarker(models.require(ModelFiles.FACE_LANDMARK))) {
            CanonicalFaceMesh mesh = CanonicalFaceMesh.read(models.require(ModelFiles.CANONICAL_MESH));
            result = new ClipTracker(mesh, detector, landmarker, options).track(new FrameStoreClip(frames, masks),
                    f -> {
                        context.checkCancelled();
                        context.progress(0.9 * f, "tracking");
                    });
        } catch (MissingModelException e) {
            throw new NodeException(e.getMessage(), e);
        }
        if (result.detector().startsWith("opencv")) {
            context.log("face detector model missing: using OpenCV's Haar cascade (" + ModelFiles.FACE_DETECTION
                    + " comes from releng/fetch-models.sh)");
        }
        TrackingWriter.write(result, ID, frames.info().frameRate(), outputDir);
        context.log("tracked " + result.stats());
        if (p.overlayVideo()) {
            OverlayVideo.write(videoIO, frames, result, outputDir.resolve("overlay.mp4"), context);
        }
        context.progress(1, "tracked");
    }

    @Override
    public Rig load(Path trackingDir) throws IOException {
        return TrackingRig.read(trackingDir);
    }
}
