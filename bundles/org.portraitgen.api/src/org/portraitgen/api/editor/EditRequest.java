package org.portraitgen.api.editor;

import java.util.Map;

import org.portraitgen.api.image.FloatImage;

/**
 * One image to edit.
 *
 * @param image      RGB in [0, 1], sRGB-encoded as frames hold it
 * @param mask       1-channel foreground in [0, 1], same size, or null (then the whole image)
 * @param reference  a reference image (style, object, lighting), or null
 * @param normals    camera-space unit normals as 3 channels in [-1, 1] (OpenGL convention: x right, y up, z towards
 *                   the viewer), same size as the image, or null
 * @param prompt     a text instruction, or null
 * @param strength   how far from the input the result may go, in [0, 1] (diffusion: the noise level; weight-free
 *                   editors: the mix of effect and input)
 * @param seed       the only source of randomness: equal requests give equal results
 * @param parameters the editor's own parameters, by name
 */
public record EditRequest(FloatImage image, FloatImage mask, FloatImage reference, FloatImage normals,
        String prompt, double strength, long seed, Map<String, Object> parameters) {

    public EditRequest {
        parameters = Map.copyOf(parameters);
    }
}
