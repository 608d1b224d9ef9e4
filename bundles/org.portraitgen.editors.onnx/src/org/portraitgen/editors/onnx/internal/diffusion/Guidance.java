package org.portraitgen.editors.onnx.internal.diffusion;

/** Classifier-free guidance: how the UNet's conditional and unconditional predictions are mixed. */
public final class Guidance {

    private Guidance() {
    }

    /**
     * InstructPix2Pix's image-conditioned guidance (Brooks et al. 2023, eq. 3):
     * ε = ε(∅, ∅) + s_I · (ε(c_I, ∅) − ε(∅, ∅)) + s_T · (ε(c_I, c_T) − ε(c_I, ∅)).
     *
     * @param full      ε(c_I, c_T): image and text conditioned
     * @param imageOnly ε(c_I, ∅): image conditioned, empty prompt
     * @param none      ε(∅, ∅): zero image latent, empty prompt
     */
    public static float[] instructPix2Pix(float[] full, float[] imageOnly, float[] none, double textScale,
            double imageScale) {
        float[] out = new float[full.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (none[i] + imageScale * (imageOnly[i] - none[i]) + textScale * (full[i] - imageOnly[i]));
        }
        return out;
    }

    /** Plain classifier-free guidance: ε = ε(∅) + s · (ε(c) − ε(∅)). */
    public static float[] classifierFree(float[] cond, float[] uncond, double scale) {
        float[] out = new float[cond.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (uncond[i] + scale * (cond[i] - uncond[i]));
        }
        return out;
    }
}
