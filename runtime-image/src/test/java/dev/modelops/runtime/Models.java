package dev.modelops.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.modelops.trainer.IrisTrainer;

/** Real ONNX models for tests: the one the sample trainer produces. */
final class Models {

    private Models() {
    }

    static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Trains the Iris MLP (a few epochs) and returns the path of the ONNX file it wrote under {@code dir}. */
    static Path irisModel(Path dir) throws Exception {
        IrisTrainer.run(Map.of("MODELOPS_OUTPUT_URI", "pvc://models/iris", "MODELOPS_OUTPUT_DIR",
                dir.toString(), "MODELOPS_TRAINING", "t", "MODELOPS_HYPERPARAMETERS", "{\"epochs\":\"20\"}"));
        Path model = dir.resolve("t/model.onnx");
        if (!Files.exists(model)) {
            throw new IllegalStateException("the trainer wrote no model");
        }
        return model;
    }
}
