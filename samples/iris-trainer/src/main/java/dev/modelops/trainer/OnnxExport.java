package dev.modelops.trainer;

import java.util.List;

import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Attribute;
import dev.modelops.onnx.OnnxModelBuilder.Dim;

/**
 * Writes a trained {@link Mlp} as an ONNX model (opset 13) with the shared ONNX writer: {@code input} FP32
 * [batch, 4] → Gemm → Relu → Gemm → Softmax → {@code probabilities} FP32 [batch, 3], with a dynamic batch dimension.
 */
final class OnnxExport {

    static final String INPUT = "input";
    static final String OUTPUT = "probabilities";

    private OnnxExport() {
    }

    static byte[] export(Mlp mlp, String producerVersion) {
        float[][] w1 = mlp.foldedW1();
        Dim batch = Dim.named("batch");
        return OnnxModelBuilder.graph("iris-mlp").producer("modelops-iris-trainer", producerVersion)
                .input(INPUT, ElementType.FLOAT, batch, Dim.of(mlp.inputs))
                .initializer("W1", flat(w1), w1.length, w1[0].length)
                .initializer("B1", mlp.foldedB1(), mlp.foldedB1().length)
                .initializer("W2", flat(toFloat(mlp.w2)), mlp.w2.length, mlp.w2[0].length)
                .initializer("B2", toFloat(mlp.b2), mlp.b2.length)
                .node("Gemm", List.of(INPUT, "W1", "B1"), List.of("hidden_linear"))
                .node("Relu", List.of("hidden_linear"), List.of("hidden"))
                .node("Gemm", List.of("hidden", "W2", "B2"), List.of("logits"))
                .node("Softmax", List.of("logits"), List.of(OUTPUT), Attribute.of("axis", 1))
                .output(OUTPUT, ElementType.FLOAT, batch, Dim.of(mlp.classes)).build();
    }

    private static float[] flat(float[][] matrix) {
        float[] flat = new float[matrix.length * matrix[0].length];
        for (int i = 0; i < matrix.length; i++) {
            System.arraycopy(matrix[i], 0, flat, i * matrix[0].length, matrix[0].length);
        }
        return flat;
    }

    private static float[][] toFloat(double[][] m) {
        float[][] f = new float[m.length][m[0].length];
        for (int i = 0; i < m.length; i++) {
            for (int j = 0; j < m[0].length; j++) {
                f[i][j] = (float) m[i][j];
            }
        }
        return f;
    }

    private static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
