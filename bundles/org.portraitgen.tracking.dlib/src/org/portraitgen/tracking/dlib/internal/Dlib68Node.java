package org.portraitgen.tracking.dlib.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.portraitgen.api.node.InvalidInputException;
import org.portraitgen.api.node.NodeContext;
import org.portraitgen.api.node.NodeDescriptor;
import org.portraitgen.api.node.NodeProvider;
import org.portraitgen.api.node.ParameterSpec;
import org.portraitgen.api.node.PortSpec;
import org.portraitgen.api.node.PortType;
import org.portraitgen.api.node.ResourceNeeds;
import org.portraitgen.api.video.FrameStore;
import org.portraitgen.api.video.VideoIO;

/**
 * {@code track.dlib68}: a second landmark source that checks the primary tracker. For every frame the tracker found a
 * face in, dlib's 68-point model runs in the box of the tracker's face, and the output says how far the tracker's
 * corresponding points lie from dlib's (mean and per frame, pixels). Off by default: the model's training data
 * (iBUG 300-W) excludes commercial use; see the README.
 */
@Component(service = NodeProvider.class, property = NodeProvider.TYPE_PROPERTY + "=" + Dlib68Node.TYPE)
public class Dlib68Node implements NodeProvider {

    public static final String TYPE = "track.dlib68";
    public static final String DEFAULT_MODEL = "/usr/share/dlib/shape_predictor_68_face_landmarks.dat";
    public static final String RESULT = "dlib68.json";
    static final PortType LANDMARKS68 = new PortType("landmarks68",
            "68 face landmarks per frame (iBUG 300-W order) and their distance to the tracker's");

    private static final NodeDescriptor DESCRIPTOR = new NodeDescriptor(TYPE, "dlib 68 cross-check", "Tracking",
            "dlib's 68-point landmarks in the tracker's face box on every frame, and the tracker's mean distance to"
                    + " them. The model's training data excludes commercial use.",
            "1",
            List.of(PortSpec.of("frames", PortType.FRAMES, "the frames the tracker saw"),
                    PortSpec.of("tracking", PortType.TRACKING, "the primary tracker's folder (from track.track)")),
            List.of(PortSpec.of("landmarks", LANDMARKS68, RESULT)),
            List.of(ParameterSpec.inputFile("model", "dlib shape_predictor file (Debian libdlib-data)",
                    DEFAULT_MODEL)),
            new ResourceNeeds(1, 1024, 0, false));

    @Reference
    private VideoIO videoIO;

    @Override
    public NodeDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void execute(NodeContext context) throws Exception {
        Path modelFile = context.parameters().path("model");
        if (!Files.isRegularFile(modelFile)) {
            throw new InvalidInputException("node '" + context.nodeId() + "' parameter 'model': " + modelFile
                    + " does not exist; Debian's libdlib-data provides " + DEFAULT_MODEL
                    + " (releng/setup-machine.sh installs it)");
        }
        ShapePredictor model;
        try {
            model = ShapePredictor.read(modelFile);
        } catch (IOException e) {
            throw new InvalidInputException("node '" + context.nodeId() + "' parameter 'model': " + e.getMessage(), e);
        }
        if (model.parts() != MediaPipe68.POINTS) {
            throw new InvalidInputException("node '" + context.nodeId() + "' parameter 'model': " + modelFile + " has "
                    + model.parts() + " parts; the cross-check needs the 68-point model");
        }
        FrameStore frames = videoIO.open(context.input("frames").orElseThrow());
        TrackedLandmarks tracked;
        try {
            tracked = TrackedLandmarks.read(context.input("tracking").orElseThrow());
        } catch (IOException e) {
            throw new InvalidInputException("node '" + context.nodeId() + "' input 'tracking': " + e.getMessage(), e);
        }
        int n = frames.info().frameCount();
        if (tracked.frameCount() != n) {
            throw new InvalidInputException("node '" + context.nodeId() + "': the tracking has " + tracked.frameCount()
                    + " frames, the frames input " + n);
        }
        List<Map<String, Object>> perFrame = new ArrayList<>();
        double sum = 0;
        int compared = 0;
        for (int f = 0; f < n; f++) {
            context.checkCancelled();
            double[] primary = tracked.points68(f);
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("frame", f);
            if (primary != null) {
                ShapePredictor.Box box = MediaPipe68.detectorBox(primary);
                ShapePredictor.Shape shape = model.predict(GrayImage.of(frames.read(f)), box);
                double distance = CrossCheck.meanDistance(shape, primary);
                entry.put("box", List.of(box.left(), box.top(), box.right(), box.bottom()));
                entry.put("points", CrossCheck.interleaved(shape));
                entry.put("meanDistanceToTracker", distance);
                sum += distance;
                compared++;
            }
            perFrame.add(entry);
            context.progress((f + 1.0) / n, "frame " + (f + 1) + " of " + n);
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("format", "portraitgen-landmarks68");
        json.put("version", 1);
        json.put("model", modelFile.toString());
        json.put("order", "iBUG 300-W (dlib) 68 points; tracker points from MediaPipe by PeizhiYan/Mediapipe_2_Dlib");
        json.put("comparedFrames", compared);
        json.put("meanDistanceToTracker", compared == 0 ? null : sum / compared);
        json.put("frames", perFrame);
        if (compared > 0) {
            context.metric("dlib68.meanDistanceToTracker", 0, sum / compared);
        }
        Path out = context.output("landmarks");
        Path tmp = out.resolve("." + RESULT + ".tmp");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(tmp.toFile(), json);
        Files.move(tmp, out.resolve(RESULT), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
