package dev.modelops.trainer;

/**
 * Writes a trained {@link Mlp} as an ONNX model (opset 13): {@code input} FP32 [batch, 4] → Gemm → Relu → Gemm →
 * Softmax → {@code probabilities} FP32 [batch, 3], with a dynamic batch dimension. Field numbers are those of
 * onnx.proto (ModelProto, GraphProto, NodeProto, TensorProto, ValueInfoProto).
 */
final class OnnxExport {

    static final String INPUT = "input";
    static final String OUTPUT = "probabilities";
    private static final long IR_VERSION = 8;
    private static final long OPSET = 13;
    private static final int FLOAT = 1;

    private OnnxExport() {
    }

    static byte[] export(Mlp mlp, String producerVersion) {
        ProtoWriter graph = new ProtoWriter()
                .message(1, node("Gemm", "hidden_linear", INPUT, "W1", "B1"))
                .message(1, node("Relu", "hidden", "hidden_linear"))
                .message(1, node("Gemm", "logits", "hidden", "W2", "B2"))
                .message(1, node("Softmax", OUTPUT, "logits"))
                .string(2, "iris-mlp")
                .message(5, tensor("W1", mlp.foldedW1()))
                .message(5, tensor("B1", mlp.foldedB1()))
                .message(5, tensor("W2", toFloat(mlp.w2)))
                .message(5, tensor("B2", toFloat(mlp.b2)))
                .message(11, valueInfo(INPUT, mlp.inputs))
                .message(12, valueInfo(OUTPUT, mlp.classes));
        return new ProtoWriter()
                .varint(1, IR_VERSION)
                .string(2, "modelops-iris-trainer")
                .string(3, producerVersion)
                .message(7, graph)
                .message(8, new ProtoWriter().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    private static ProtoWriter node(String op, String output, String... inputs) {
        ProtoWriter node = new ProtoWriter();
        for (String input : inputs) {
            node.string(1, input);
        }
        return node.string(2, output).string(3, output + "_" + op.toLowerCase()).string(4, op);
    }

    private static ProtoWriter tensor(String name, float[][] matrix) {
        float[] flat = new float[matrix.length * matrix[0].length];
        for (int i = 0; i < matrix.length; i++) {
            System.arraycopy(matrix[i], 0, flat, i * matrix[0].length, matrix[0].length);
        }
        return new ProtoWriter().varint(1, matrix.length).varint(1, matrix[0].length).varint(2, FLOAT)
                .string(8, name).bytes(9, ProtoWriter.littleEndian(flat));
    }

    private static ProtoWriter tensor(String name, float[] vector) {
        return new ProtoWriter().varint(1, vector.length).varint(2, FLOAT).string(8, name)
                .bytes(9, ProtoWriter.littleEndian(vector));
    }

    /** A FP32 tensor of shape [batch, width] with a symbolic batch dimension. */
    private static ProtoWriter valueInfo(String name, int width) {
        ProtoWriter shape = new ProtoWriter()
                .message(1, new ProtoWriter().string(2, "batch"))
                .message(1, new ProtoWriter().varint(1, width));
        ProtoWriter tensorType = new ProtoWriter().varint(1, FLOAT).message(2, shape);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
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
