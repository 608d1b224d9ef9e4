package org.portraitgen.editors.builtin.internal;

import java.util.List;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.portraitgen.api.editor.EditRequest;
import org.portraitgen.api.editor.EditorDescriptor;
import org.portraitgen.api.editor.EditorInput;
import org.portraitgen.api.editor.EditorProvider;
import org.portraitgen.api.image.FloatImage;
import org.portraitgen.api.node.ParameterSpec;

/**
 * Relighting with spherical harmonics: the present lighting is fitted to the image's luminance over the normals,
 * dividing it out leaves an albedo estimate, and the albedo is lit again by a new light, either a directional light
 * from the parameters or the lighting fitted (per colour channel) to a reference image.
 */
@Component(service = EditorProvider.class, property = EditorProvider.ID_PROPERTY + "=" + RelightEditor.ID)
public final class RelightEditor extends BuiltinEditor {

    static final String ID = "builtin.relight";

    @Override
    protected EditorDescriptor describe() {
        return new EditorDescriptor(ID, "Relight",
                "Spherical-harmonics relighting from normals and an albedo estimate; light from the parameters or "
                        + "fitted to a reference image. Without a normal map, rough normals are estimated by "
                        + "inflating the mask's silhouette (without a mask: a dome over the frame) plus luminance "
                        + "relief.",
                List.of(ParameterSpec.choice("light", "where the new light comes from (auto: the reference if given)",
                        "auto", List.of("auto", "parameters", "reference")),
                        ParameterSpec.number("azimuth", "light direction in the image plane, degrees (0 right, 90 up)",
                                135.0, -360, 360),
                        ParameterSpec.number("elevation", "light angle towards the viewer, degrees (90 frontal)", 35.0,
                                0, 90),
                        ParameterSpec.number("intensity", "directional light intensity", 1.0, 0, 4),
                        ParameterSpec.number("ambient", "light from all around", 0.25, 0, 2),
                        ParameterSpec.number("warmth", "colour of the light: -1 cool to 1 warm", 0.0, -1, 1)),
                Set.of(), Set.of(EditorInput.MASK, EditorInput.NORMALS, EditorInput.REFERENCE_IMAGE), 0, false);
    }

    @Override
    protected FloatImage render(EditRequest request, EditorParams params) {
        FloatImage image = request.image();
        FloatImage normals = request.normals() != null ? request.normals()
                : NormalEstimator.estimate(image, request.mask());
        int plane = image.planeSize();
        FloatImage luma = new FloatImage(image.width(), image.height(), 1, Planes.luma(image));
        double[] present = LightingFit.fit(luma, 0, normals, request.mask());
        float[] shading = shade(present, normals);
        normaliseMean(shading, request.mask());
        String light = params.choice("light");
        boolean fromReference = light.equals("reference") || (light.equals("auto") && request.reference() != null);
        if (fromReference && request.reference() == null) {
            throw new IllegalArgumentException("editor '" + ID + "': light=reference needs a reference image");
        }
        float[][] newLight = fromReference ? referenceLight(request.reference(), normals, request.mask())
                : parameterLight(params, normals);
        FloatImage out = new FloatImage(image.width(), image.height(), 3);
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < plane; i++) {
                // a floor on the old shading keeps deep shadows from turning into blown-out albedo
                float albedo = image.data()[c * plane + i] / Math.max(0.25f, shading[i]);
                out.data()[c * plane + i] = MaskBlend.clamp01(albedo * newLight[c][i]);
            }
        }
        return out;
    }

    private static float[][] parameterLight(EditorParams params, FloatImage normals) {
        double az = Math.toRadians(params.number("azimuth"));
        double el = Math.toRadians(params.number("elevation"));
        double[] dir = SphericalHarmonics.directional(Math.cos(el) * Math.cos(az), Math.cos(el) * Math.sin(az),
                Math.sin(el));
        float[] directional = shade(dir, normals);
        float intensity = (float) params.number("intensity");
        float ambient = (float) params.number("ambient");
        float warmth = (float) params.number("warmth");
        float[] tint = {1 + 0.15f * warmth, 1, 1 - 0.15f * warmth};
        float[][] out = new float[3][directional.length];
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < directional.length; i++) {
                out[c][i] = tint[c] * (ambient + intensity * Math.max(0, directional[i]));
            }
        }
        return out;
    }

    /** The reference's lighting per channel, rescaled so the subject keeps its exposure. */
    private static float[][] referenceLight(FloatImage reference, FloatImage normals, FloatImage mask) {
        FloatImage refNormals = NormalEstimator.estimate(reference, null);
        float[][] out = new float[3][];
        for (int c = 0; c < 3; c++) {
            out[c] = shade(LightingFit.fit(reference, c, refNormals, null), normals);
        }
        float[] luma = new float[out[0].length];
        for (int i = 0; i < luma.length; i++) {
            luma[i] = Math.max(0, 0.2126f * out[0][i] + 0.7152f * out[1][i] + 0.0722f * out[2][i]);
        }
        float mean = mean(luma, mask);
        for (float[] channel : out) {
            for (int i = 0; i < channel.length; i++) {
                channel[i] = Math.max(0, channel[i]) / Math.max(1e-3f, mean);
            }
        }
        return out;
    }

    private static float[] shade(double[] coeffs, FloatImage normals) {
        int n = normals.planeSize();
        float[] nd = normals.data();
        float[] out = new float[n];
        double[] b = new double[SphericalHarmonics.COEFFS];
        for (int i = 0; i < n; i++) {
            SphericalHarmonics.basis(nd[i], nd[n + i], nd[2 * n + i], b);
            out[i] = (float) SphericalHarmonics.eval(coeffs, b);
        }
        return out;
    }

    private static void normaliseMean(float[] shading, FloatImage mask) {
        float mean = Math.max(1e-3f, mean(shading, mask));
        for (int i = 0; i < shading.length; i++) {
            shading[i] = Math.max(0, shading[i]) / mean;
        }
    }

    private static float mean(float[] v, FloatImage mask) {
        double s = 0;
        double w = 0;
        for (int i = 0; i < v.length; i++) {
            double m = mask == null ? 1 : mask.data()[i];
            s += m * v[i];
            w += m;
        }
        return w < 1e-6 ? mean(v, null) : (float) (s / w);
    }
}
