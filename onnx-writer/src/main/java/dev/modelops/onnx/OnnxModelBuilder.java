package dev.modelops.onnx;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes an ONNX model ({@code ModelProto}) without the ONNX libraries: one graph of nodes with attributes,
 * initializers (the weights), typed inputs and outputs whose dimensions are fixed or symbolic, and an opset import.
 * The protobuf is written by hand in the wire format, so the model is exactly what was declared.
 *
 * <p>
 * A 4-16-3 classifier with a dynamic batch, as the sample trainer exports it:
 *
 * <pre>{@code
 * byte[] onnx = OnnxModelBuilder.graph("iris")
 *         .input("input", ElementType.FLOAT, Dim.named("batch"), Dim.of(4))
 *         .initializer("W1", w1, 4, 16).initializer("B1", b1, 16)
 *         .initializer("W2", w2, 16, 3).initializer("B2", b2, 3)
 *         .node("Gemm", List.of("input", "W1", "B1"), List.of("h"))
 *         .node("Relu", List.of("h"), List.of("a"))
 *         .node("Gemm", List.of("a", "W2", "B2"), List.of("logits"))
 *         .node("Softmax", List.of("logits"), List.of("probabilities"), Attribute.of("axis", 1))
 *         .output("probabilities", ElementType.FLOAT, Dim.named("batch"), Dim.of(3))
 *         .build();
 * }</pre>
 *
 * Numeric initializers are stored as little-endian {@code raw_data}, strings as {@code string_data}. The builder
 * checks what it can (names defined before use is ONNX Runtime's job); ONNX Runtime validates the rest on load.
 */
public final class OnnxModelBuilder {

    /** The IR version written by default: IR 8 (ONNX 1.10) covers opsets up to 15. */
    public static final long DEFAULT_IR_VERSION = 8;
    public static final int DEFAULT_OPSET = 13;

    /** A dimension of a declared input or output: a fixed size, or a symbolic name such as {@code "batch"}. */
    public record Dim(long value, String param) {

        public Dim {
            if (param == null && value < 0) {
                throw new IllegalArgumentException("a fixed dimension cannot be negative: " + value);
            }
        }

        public static Dim of(long value) {
            return new Dim(value, null);
        }

        public static Dim named(String param) {
            return new Dim(-1, Objects.requireNonNull(param));
        }

        public boolean symbolic() {
            return param != null;
        }
    }

    /** A node attribute: an int, a float, a string, a list of ints or floats, or a tensor. */
    public static final class Attribute {
        private final String name;
        private final ProtoWriter proto;

        private Attribute(String name, int type) {
            this.name = name;
            this.proto = new ProtoWriter().string(1, name);
            this.proto.varint(20, type);
        }

        public static Attribute of(String name, long value) {
            Attribute a = new Attribute(name, 2);
            a.proto.varint(3, value);
            return a;
        }

        public static Attribute of(String name, float value) {
            Attribute a = new Attribute(name, 1);
            a.proto.float32(2, value);
            return a;
        }

        public static Attribute of(String name, String value) {
            Attribute a = new Attribute(name, 3);
            a.proto.string(4, value);
            return a;
        }

        public static Attribute ints(String name, long... values) {
            Attribute a = new Attribute(name, 7);
            a.proto.packedVarints(8, values);
            return a;
        }

        public static Attribute floats(String name, float... values) {
            Attribute a = new Attribute(name, 6);
            a.proto.packedFloats(7, values);
            return a;
        }

        /** A tensor attribute, e.g. the {@code value} of a {@code Constant} node. */
        public static Attribute tensor(String name, ElementType type, byte[] rawLittleEndian, long... dims) {
            Attribute a = new Attribute(name, 4);
            a.proto.message(5, tensorProto(null, type, dims, rawLittleEndian, null));
            return a;
        }

        public String name() {
            return name;
        }
    }

    private final String graphName;
    private long irVersion = DEFAULT_IR_VERSION;
    private int opset = DEFAULT_OPSET;
    private String producerName = "modelops";
    private String producerVersion = "";
    private String docString;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();
    private int nodeCount;

    private OnnxModelBuilder(String graphName) {
        this.graphName = Objects.requireNonNull(graphName);
    }

    public static OnnxModelBuilder graph(String name) {
        return new OnnxModelBuilder(name);
    }

    /** The default ONNX operator set's version (13 unless set). */
    public OnnxModelBuilder opset(int version) {
        this.opset = version;
        return this;
    }

    public OnnxModelBuilder irVersion(long version) {
        this.irVersion = version;
        return this;
    }

    public OnnxModelBuilder producer(String name, String version) {
        this.producerName = Objects.requireNonNull(name);
        this.producerVersion = Objects.requireNonNull(version);
        return this;
    }

    public OnnxModelBuilder docString(String doc) {
        this.docString = doc;
        return this;
    }

    /** A {@code metadata_props} entry, readable from ONNX Runtime's model metadata. */
    public OnnxModelBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    public OnnxModelBuilder input(String name, ElementType type, Dim... shape) {
        inputs.add(valueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder output(String name, ElementType type, Dim... shape) {
        outputs.add(valueInfo(name, type, shape));
        return this;
    }

    public OnnxModelBuilder initializer(String name, float[] values, long... dims) {
        ByteBuffer raw = little(values.length * 4);
        raw.asFloatBuffer().put(values);
        return initializer(name, ElementType.FLOAT, raw.array(), dims);
    }

    public OnnxModelBuilder initializer(String name, double[] values, long... dims) {
        ByteBuffer raw = little(values.length * 8);
        raw.asDoubleBuffer().put(values);
        return initializer(name, ElementType.DOUBLE, raw.array(), dims);
    }

    /** An INT64 initializer (shapes, indices, axes). */
    public OnnxModelBuilder initializer(String name, long[] values, long... dims) {
        ByteBuffer raw = little(values.length * 8);
        raw.asLongBuffer().put(values);
        return initializer(name, ElementType.INT64, raw.array(), dims);
    }

    public OnnxModelBuilder initializer(String name, int[] values, long... dims) {
        ByteBuffer raw = little(values.length * 4);
        raw.asIntBuffer().put(values);
        return initializer(name, ElementType.INT32, raw.array(), dims);
    }

    /** An initializer of any numeric type, from its little-endian bytes. */
    public OnnxModelBuilder initializer(String name, ElementType type, byte[] rawLittleEndian, long... dims) {
        if (type == ElementType.STRING) {
            throw new IllegalArgumentException("string initializers are given as strings");
        }
        long elements = Arrays.stream(dims).reduce(1, Math::multiplyExact);
        if (elements * type.byteSize() != rawLittleEndian.length) {
            throw new IllegalArgumentException("initializer " + name + ": " + rawLittleEndian.length
                    + " bytes do not hold " + elements + " elements of " + type);
        }
        initializers.add(tensorProto(name, type, dims, rawLittleEndian, null));
        return this;
    }

    public OnnxModelBuilder initializer(String name, String[] values, long... dims) {
        initializers.add(tensorProto(name, ElementType.STRING, dims, null, values));
        return this;
    }

    /** A node of the default ONNX domain; its name is generated from the op type. */
    public OnnxModelBuilder node(String opType, List<String> nodeInputs, List<String> nodeOutputs,
            Attribute... attributes) {
        ProtoWriter node = new ProtoWriter();
        nodeInputs.forEach(input -> node.string(1, input));
        nodeOutputs.forEach(output -> node.string(2, output));
        node.string(3, opType.toLowerCase() + "_" + nodeCount++);
        node.string(4, opType);
        for (Attribute attribute : attributes) {
            node.message(5, attribute.proto);
        }
        nodes.add(node);
        return this;
    }

    /** The serialized {@code ModelProto}. */
    public byte[] build() {
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new IllegalStateException("a model needs at least one input and one output");
        }
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(node -> graph.message(1, node));
        graph.string(2, graphName);
        initializers.forEach(tensor -> graph.message(5, tensor));
        inputs.forEach(input -> graph.message(11, input));
        outputs.forEach(output -> graph.message(12, output));

        ProtoWriter model = new ProtoWriter().varint(1, irVersion).string(2, producerName);
        if (!producerVersion.isEmpty()) {
            model.string(3, producerVersion);
        }
        if (docString != null) {
            model.string(6, docString);
        }
        model.message(7, graph);
        model.message(8, new ProtoWriter().string(1, "").varint(2, opset));
        metadata.forEach((key, value) -> model.message(14, new ProtoWriter().string(1, key).string(2, value)));
        return model.toByteArray();
    }

    /** Writes the model to a file, replacing it. */
    public Path writeTo(Path file) throws IOException {
        return Files.write(file, build());
    }

    private static ProtoWriter valueInfo(String name, ElementType type, Dim... shape) {
        ProtoWriter dims = new ProtoWriter();
        for (Dim dim : shape) {
            ProtoWriter d = new ProtoWriter();
            if (dim.symbolic()) {
                d.string(2, dim.param());
            } else {
                d.varint(1, dim.value());
            }
            dims.message(1, d);
        }
        ProtoWriter tensorType = new ProtoWriter().varint(1, type.onnxCode()).message(2, dims);
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }

    private static ProtoWriter tensorProto(String name, ElementType type, long[] dims, byte[] raw, String[] strings) {
        ProtoWriter tensor = new ProtoWriter();
        if (dims.length > 0) {
            tensor.packedVarints(1, dims);
        }
        tensor.varint(2, type.onnxCode());
        if (strings != null) {
            for (String s : strings) {
                tensor.bytes(6, s.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (name != null) {
            tensor.string(8, name);
        }
        if (raw != null) {
            tensor.bytes(9, raw);
        }
        return tensor;
    }

    private static ByteBuffer little(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
