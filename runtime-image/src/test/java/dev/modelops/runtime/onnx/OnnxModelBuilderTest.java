package dev.modelops.runtime.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.modelops.runtime.Models;
import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Attribute;
import dev.modelops.onnx.OnnxModelBuilder.Dim;

class OnnxModelBuilderTest {

    @TempDir
    Path dir;

    @Test
    void anMlpWithADynamicBatchLoadsAndComputesWhatTheWeightsSay() throws Exception {
        Models.Mlp mlp = Models.Mlp.random(4, 16, 3, 1);
        byte[] onnx = mlp.onnx(0);
        // 4*16 + 16 + 16*3 + 3 = 131 floats = 524 bytes of weights, plus the graph.
        assertThat(onnx.length).isBetween(800, 1000);
        try (ModelSession session = ModelSession.load(Files.write(dir.resolve("mlp.onnx"), onnx), 1, 1, 0)) {
            ModelSession.TensorSpec input = session.signature().inputs().get(0);
            assertThat(input.name()).isEqualTo("input");
            assertThat(input.type()).isEqualTo(ElementType.FLOAT);
            assertThat(input.shape()).containsExactly(-1, 4);
            assertThat(session.signature().outputs().get(0).shape()).containsExactly(-1, 3);
            assertThat(session.signature().batchable()).isTrue();
            float[] x = {0.3f, -1.2f, 2.5f, 0.7f, 1, 1, 1, 1, -3, 0, 0.5f, 2};
            float[] y = session.run(Map.of("input", TensorData.ofFloats(new long[]{3, 4}, x)))
                    .get("probabilities").floats();
            for (int r = 0; r < 3; r++) {
                double[] expected = mlp.predict(java.util.Arrays.copyOfRange(x, r * 4, r * 4 + 4));
                for (int k = 0; k < 3; k++) {
                    assertThat((double) y[r * 3 + k]).isCloseTo(expected[k], within(1e-5));
                }
            }
        }
    }

    @Test
    void attributesOfEveryKindAndTypedInitializersAreUnderstood() throws Exception {
        // y = Transpose(x, perm=[1,0]) * alpha-scaled Gemm with an INT64-shaped Reshape and a Constant tensor.
        float[] w = Models.gaussian(new Random(3), 6, 1);
        byte[] onnx = OnnxModelBuilder.graph("attrs").opset(13).metadata("trained-by", "test")
                .input("x", ElementType.FLOAT, Dim.of(3), Dim.named("n"))
                .initializer("shape", new long[]{-1, 2}, 2)
                .initializer("w", w, 2, 3)
                .node("Transpose", List.of("x"), List.of("xt"), Attribute.ints("perm", 1, 0))
                .node("Reshape", List.of("xt", "shape"), List.of("r"))
                .node("Gemm", List.of("r", "w"), List.of("g"), Attribute.of("alpha", 2f),
                        Attribute.of("transB", 0L))
                .node("Constant", List.of(), List.of("c"), Attribute.tensor("value", ElementType.FLOAT,
                        new byte[]{0, 0, (byte) 0x80, 0x3f}, 1))
                .node("Add", List.of("g", "c"), List.of("y"))
                .output("y", ElementType.FLOAT, Dim.named("m"), Dim.of(3)).build();
        try (ModelSession session = ModelSession.load(Files.write(dir.resolve("attrs.onnx"), onnx), 1, 1, 0)) {
            assertThat(session.signature().inputs().get(0).shape()).containsExactly(3, -1);
            // x is 3x2: transposed 2x3, reshaped to 3x2, times w (2x3), doubled, plus 1.
            float[] x = {1, 2, 3, 4, 5, 6};
            float[] y = session.run(Map.of("x", TensorData.ofFloats(new long[]{3, 2}, x))).get("y").floats();
            float[] xt = {1, 3, 5, 2, 4, 6};
            for (int i = 0; i < 3; i++) {
                for (int j = 0; j < 3; j++) {
                    double expected = 2 * (xt[i * 2] * w[j] + xt[i * 2 + 1] * w[3 + j]) + 1;
                    assertThat((double) y[i * 3 + j]).isCloseTo(expected, within(1e-4));
                }
            }
        }
    }
}
