package org.portraitgen.editors.onnx.internal.model;

import java.util.List;

/**
 * One file of a model folder as its manifest lists it.
 *
 * @param role    what the pipeline uses it for ("unet", "text_encoder", "tokenizer_vocab", ...)
 * @param path    relative to the folder
 * @param sha256  lower-case hex digest of the file's bytes
 * @param inputs  for an ONNX file, its expected inputs (empty for other files)
 * @param outputs for an ONNX file, its expected outputs
 */
public record ModelFile(String role, String path, String sha256, List<TensorSpec> inputs, List<TensorSpec> outputs) {

    public ModelFile {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public boolean isOnnx() {
        return path.endsWith(".onnx");
    }
}
