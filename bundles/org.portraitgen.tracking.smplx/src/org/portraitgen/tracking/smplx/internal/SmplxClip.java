package org.portraitgen.tracking.smplx.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleConsumer;

import org.portraitgen.tracking.smplx.internal.body.BodyEvaluator;
import org.portraitgen.tracking.smplx.internal.body.BodyParams;
import org.portraitgen.tracking.smplx.internal.fit.ClipFitter;
import org.portraitgen.tracking.smplx.internal.fit.FitSettings;
import org.portraitgen.tracking.smplx.internal.io.FaceLandmarks;
import org.portraitgen.tracking.smplx.internal.io.RigTopology;
import org.portraitgen.tracking.smplx.internal.io.SmplxTrackingFolder;
import org.portraitgen.tracking.smplx.internal.model.BodyModel;

/** Fits a model to a clip's face landmarks and writes the fitted mesh per frame as an SMPL-X tracking folder. */
public final class SmplxClip {

    /** Model units (metres) to the rig's centimetres, the default rig's unit. */
    static final double CM_PER_UNIT = 100;

    private SmplxClip() {
    }

    public static ClipFitter.Result track(BodyModel model, FaceLandmarks face, FitSettings settings, Path outputDir,
            String trackerId, DoubleConsumer progress) throws IOException {
        BodyEvaluator body = new BodyEvaluator(model);
        ClipFitter fitter = new ClipFitter(body, face.camera(), settings);
        ClipFitter.Result result = fitter.fit(face.points(), progress);
        List<BodyParams> bridged = bridge(result.frames());
        RigTopology topology = RigTopology.of(model);
        List<SmplxTrackingFolder.Frame> frames = new ArrayList<>();
        for (int f = 0; f < bridged.size(); f++) {
            BodyParams p = bridged.get(f);
            ClipFitter.FrameFit fit = result.frames().get(f);
            float[] v = topology.vertices(body.vertices(body.pose(p)), CM_PER_UNIT);
            frames.add(new SmplxTrackingFolder.Frame(v, fit.tracked(), fit.rmsPx(), p.expression(), p.pose(),
                    p.translation()));
        }
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("tracker", trackerId);
        header.put("model", model.source);
        header.put("modelKind", model.kind.name());
        header.put("width", face.width());
        header.put("height", face.height());
        header.put("frameRate", face.frameRate());
        header.put("intrinsics", Map.of("fx", face.camera().fx(), "fy", face.camera().fy(), "cx", face.camera().cx(),
                "cy", face.camera().cy()));
        header.put("shape", result.shape());
        header.put("uvLayout", topology.cylindrical() ? "cylindrical (the model has no UVs)" : "model");
        double mean = result.meanRmsPx();
        header.put("meanReprojectionPx", Double.isFinite(mean) ? mean : null);
        SmplxTrackingFolder.write(outputDir, header, topology, frames);
        return result;
    }

    /** Frames without landmarks take the nearest earlier tracked frame's parameters (the first tracked one before it). */
    static List<BodyParams> bridge(List<ClipFitter.FrameFit> fits) {
        int first = -1;
        for (int f = 0; f < fits.size() && first < 0; f++) {
            if (fits.get(f).tracked()) {
                first = f;
            }
        }
        List<BodyParams> out = new ArrayList<>();
        BodyParams last = first >= 0 ? fits.get(first).params() : fits.isEmpty() ? null : fits.get(0).params();
        for (ClipFitter.FrameFit fit : fits) {
            if (fit.tracked()) {
                last = fit.params();
            }
            out.add(last);
        }
        return out;
    }
}
