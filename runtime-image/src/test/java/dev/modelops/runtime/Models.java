package dev.modelops.runtime;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Attribute;
import dev.modelops.onnx.OnnxModelBuilder.Dim;

/** Real ONNX models for tests, built with {@link OnnxModelBuilder}, and their outputs computed in plain Java. */
public final class Models {

    private Models() {
    }

    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A classifier {@code in -> hidden (ReLU) -> classes (softmax)} with random weights from {@code seed}. */
    public record Mlp(int in, int hidden, int classes, float[] w1, float[] b1, float[] w2, float[] b2) {

        public static Mlp random(int in, int hidden, int classes, long seed) {
            Random random = new Random(seed);
            return new Mlp(in, hidden, classes, gaussian(random, in * hidden, 1 / Math.sqrt(in)),
                    gaussian(random, hidden, 0.1), gaussian(random, hidden * classes, 1 / Math.sqrt(hidden)),
                    gaussian(random, classes, 0.1));
        }

        /** Batch dimension symbolic ("batch") unless {@code fixedBatch} > 0. */
        public byte[] onnx(int fixedBatch) {
            Dim batch = fixedBatch > 0 ? Dim.of(fixedBatch) : Dim.named("batch");
            return OnnxModelBuilder.graph("mlp").producer("modelops-tests", "1")
                    .input("input", ElementType.FLOAT, batch, Dim.of(in))
                    .initializer("W1", w1, in, hidden).initializer("B1", b1, hidden)
                    .initializer("W2", w2, hidden, classes).initializer("B2", b2, classes)
                    .node("Gemm", List.of("input", "W1", "B1"), List.of("h"))
                    .node("Relu", List.of("h"), List.of("a"))
                    .node("Gemm", List.of("a", "W2", "B2"), List.of("logits"))
                    .node("Softmax", List.of("logits"), List.of("probabilities"), Attribute.of("axis", 1))
                    .output("probabilities", ElementType.FLOAT, batch, Dim.of(classes)).build();
        }

        public Path write(Path file, int fixedBatch) throws IOException {
            return java.nio.file.Files.write(file, onnx(fixedBatch));
        }

        /** The same computation in double precision. */
        public double[] predict(float[] x) {
            double[] h = new double[hidden];
            for (int j = 0; j < hidden; j++) {
                double sum = b1[j];
                for (int i = 0; i < in; i++) {
                    sum += x[i] * w1[i * hidden + j];
                }
                h[j] = Math.max(0, sum);
            }
            double[] logits = new double[classes];
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double sum = b2[k];
                for (int j = 0; j < hidden; j++) {
                    sum += h[j] * w2[j * classes + k];
                }
                logits[k] = sum;
                max = Math.max(max, sum);
            }
            double total = 0;
            for (int k = 0; k < classes; k++) {
                logits[k] = Math.exp(logits[k] - max);
                total += logits[k];
            }
            for (int k = 0; k < classes; k++) {
                logits[k] /= total;
            }
            return logits;
        }
    }

    public static float[] gaussian(Random random, int n, double scale) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    /** The Iris-shaped 4-16-3 classifier the sample trainer exports, with fixed random weights. */
    public static Path irisModel(Path dir) throws IOException {
        java.nio.file.Files.createDirectories(dir);
        return Mlp.random(4, 16, 3, 42).write(dir.resolve("model.onnx"), 0);
    }

    /**
     * A model with inputs of ten datatypes: {@code sum = x + float(n)}, {@code not_flag = !flag}, {@code d2 = d * d},
     * and the FP16, INT8, INT16, INT32, UINT8 and BYTES inputs passed through. Every dimension but the first is fixed.
     */
    public static byte[] multiTypeModel() {
        Dim batch = Dim.named("batch");
        OnnxModelBuilder model = OnnxModelBuilder.graph("multi")
                .input("x", ElementType.FLOAT, batch, Dim.of(3))
                .input("n", ElementType.INT64, batch, Dim.of(3))
                .input("flag", ElementType.BOOL, batch, Dim.of(1))
                .input("d", ElementType.DOUBLE, batch, Dim.of(2))
                .input("h", ElementType.FLOAT16, batch, Dim.of(2))
                .input("i8", ElementType.INT8, batch, Dim.of(2))
                .input("i16", ElementType.INT16, batch, Dim.of(2))
                .input("i32", ElementType.INT32, batch, Dim.of(2))
                .input("u8", ElementType.UINT8, batch, Dim.of(2))
                .input("s", ElementType.STRING, batch, Dim.of(1))
                .node("Cast", List.of("n"), List.of("nf"), Attribute.of("to", (long) ElementType.FLOAT.onnxCode()))
                .node("Add", List.of("x", "nf"), List.of("sum"))
                .node("Not", List.of("flag"), List.of("not_flag"))
                .node("Mul", List.of("d", "d"), List.of("d2"));
        for (String name : List.of("h", "i8", "i16", "i32", "u8", "s")) {
            model.node("Identity", List.of(name), List.of(name + "_out"));
        }
        return model.output("sum", ElementType.FLOAT, batch, Dim.of(3))
                .output("not_flag", ElementType.BOOL, batch, Dim.of(1))
                .output("d2", ElementType.DOUBLE, batch, Dim.of(2))
                .output("h_out", ElementType.FLOAT16, batch, Dim.of(2))
                .output("i8_out", ElementType.INT8, batch, Dim.of(2))
                .output("i16_out", ElementType.INT16, batch, Dim.of(2))
                .output("i32_out", ElementType.INT32, batch, Dim.of(2))
                .output("u8_out", ElementType.UINT8, batch, Dim.of(2))
                .output("s_out", ElementType.STRING, batch, Dim.of(1)).build();
    }

    /**
     * A compute-heavy model with a small input: {@code inputs -> width} then {@code layers} MatMul+Relu of
     * {@code width x width} over a dynamic batch.
     */
    public static byte[] deepModel(int inputs, int width, int layers, long seed) {
        Random random = new Random(seed);
        Dim batch = Dim.named("batch");
        OnnxModelBuilder model = OnnxModelBuilder.graph("deep").input("input", ElementType.FLOAT, batch,
                Dim.of(inputs));
        String previous = "input";
        for (int l = 0; l <= layers; l++) {
            int in = l == 0 ? inputs : width;
            model.initializer("W" + l, gaussian(random, in * width, 1 / Math.sqrt(in)), in, width);
            model.node("MatMul", List.of(previous, "W" + l), List.of("m" + l));
            model.node("Relu", List.of("m" + l), List.of("r" + l));
            previous = "r" + l;
        }
        model.node("Identity", List.of(previous), List.of("output"));
        return model.output("output", ElementType.FLOAT, batch, Dim.of(width)).build();
    }

    /**
     * {@code q = a / b} on INT32 rows of two: integer division, so the warm-up on zeros fails (division by zero)
     * although the model is fine for any input without a zero divisor.
     */
    public static byte[] divisionModel() {
        Dim batch = Dim.named("batch");
        return OnnxModelBuilder.graph("div").input("a", ElementType.INT32, batch, Dim.of(2))
                .input("b", ElementType.INT32, batch, Dim.of(2))
                .node("Div", List.of("a", "b"), List.of("q"))
                .output("q", ElementType.INT32, batch, Dim.of(2)).build();
    }

    /** A request body for {@link #divisionModel()}. */
    public static String divisionRequest(int[] a, int[] b) {
        return "{\"inputs\":[{\"name\":\"a\",\"datatype\":\"INT32\",\"shape\":[" + a.length / 2 + ",2],\"data\":"
                + java.util.Arrays.toString(a) + "},{\"name\":\"b\",\"datatype\":\"INT32\",\"shape\":[" + b.length / 2
                + ",2],\"data\":" + java.util.Arrays.toString(b) + "}]}";
    }
}
