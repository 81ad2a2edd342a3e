package dev.modelops.runtime.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;

import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.OrtTypes;
import dev.modelops.runtime.onnx.TensorData;

/**
 * An inference request checked against the model's signature: every input present, of the declared datatype, of a
 * shape that fits the declared one; {@code outputs} null means every output; {@code binaryOutputs} are the outputs
 * answered as raw bytes (the binary tensor extension).
 *
 * <p>
 * The JSON is read with Jackson's streaming parser: {@code data} goes straight into the tensor's bytes, with no
 * tree and no boxed numbers. Tensors whose {@code data} comes before their name, datatype or shape are buffered as
 * tokens and decoded once the object is read. With the binary tensor extension, {@code body} holds the JSON in its
 * first {@code jsonLength} bytes and the raw tensors after it, in the order of the inputs that declare
 * {@code parameters.binary_data_size}.
 */
public record InferenceRequest(String id, Map<String, TensorData> inputs, Set<String> outputs, int rows,
        Set<String> binaryOutputs) {

    private static final JsonFactory JSON = TensorCodec.JSON;

    /** A JSON-only request. */
    public static InferenceRequest parse(byte[] body, ModelSession.Signature signature, boolean batchable) {
        return parse(body, body.length, signature, batchable);
    }

    public static InferenceRequest parse(byte[] body, int jsonLength, ModelSession.Signature signature,
            boolean batchable) {
        try (JsonParser parser = JSON.createParser(body, 0, jsonLength)) {
            return new Reader(parser, body, jsonLength, signature, batchable).read();
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage(), null);
        }
    }

    /**
     * Checks inputs against the model's signature as they come, whatever carried them (JSON, binary, gRPC), and
     * builds the request; the errors name the problem and the request field at fault.
     */
    static final class Checker {
        private final ModelSession.Signature signature;
        private final boolean batchable;
        private final Map<String, TensorData> inputs = new LinkedHashMap<>();
        private long batchRows = -1;

        Checker(ModelSession.Signature signature, boolean batchable) {
            this.signature = signature;
            this.batchable = batchable;
        }

        /** Checks name, datatype and shape against the signature, in this order; returns the input's spec. */
        ModelSession.TensorSpec check(String at, String name, String datatype, long[] shape) {
            if (name == null) {
                throw ApiException.badRequest("name is missing or not a string", at + ".name");
            }
            ModelSession.TensorSpec spec = signature.input(name);
            if (spec == null) {
                throw ApiException.badRequest("the model has no input '" + name + "'; its inputs are "
                        + names(signature), at + ".name");
            }
            if (inputs.containsKey(name)) {
                throw ApiException.badRequest("input '" + name + "' is given twice", at + ".name");
            }
            if (datatype == null) {
                throw ApiException.badRequest("datatype is missing or not a string", at + ".datatype");
            }
            if (ElementType.fromDatatype(datatype) == null) {
                throw ApiException.badRequest("unknown datatype " + datatype, at + ".datatype");
            }
            if (!datatype.equals(spec.datatype())) {
                throw ApiException.badRequest("input '" + name + "' has datatype " + spec.datatype() + ", not "
                        + datatype, at + ".datatype");
            }
            if (OrtTypes.javaType(spec.type()) == ai.onnxruntime.OnnxJavaType.UNKNOWN) {
                throw ApiException.badRequest("input '" + name + "' has datatype " + datatype
                        + ", which ONNX Runtime's Java API cannot feed", at + ".datatype");
            }
            if (shape == null) {
                throw ApiException.badRequest("shape is missing or not an array", at + ".shape");
            }
            if (!fits(shape, spec.shape())) {
                throw ApiException.badRequest("input '" + name + "' has shape " + Arrays.toString(spec.shape())
                        + " (-1: any size), got " + Arrays.toString(shape), at + ".shape");
            }
            if (batchable) {
                if (batchRows >= 0 && shape[0] != batchRows) {
                    throw ApiException.badRequest("all inputs must have the same first dimension (" + batchRows
                            + "), '" + name + "' has " + shape[0], at + ".shape");
                }
                batchRows = shape[0];
            }
            return spec;
        }

        void put(String name, TensorData tensor) {
            inputs.put(name, tensor);
        }

        boolean has(String name) {
            return inputs.containsKey(name);
        }

        /** Checks the requested output names (their binary choice null when unspecified). */
        void checkOutput(String at, String name) {
            if (name == null) {
                throw ApiException.badRequest("name is missing or not a string", at + ".name");
            }
            if (signature.output(name) == null) {
                throw ApiException.badRequest("the model has no output '" + name + "'; its outputs are "
                        + signature.outputs().stream().map(ModelSession.TensorSpec::name)
                                .collect(Collectors.joining(", ")),
                        at + ".name");
            }
        }

        /** The request: every input present; {@code requested} outputs with their binary choice. */
        InferenceRequest finish(String id, boolean inputsSeen, Map<String, Boolean> requested,
                boolean binaryByDefault) {
            if (!inputsSeen) {
                throw ApiException.badRequest("inputs must be a non-empty array", "inputs");
            }
            for (ModelSession.TensorSpec spec : signature.inputs()) {
                if (!inputs.containsKey(spec.name())) {
                    throw ApiException.badRequest("input '" + spec.name() + "' is missing", "inputs");
                }
            }
            Set<String> outputs = requested == null || requested.isEmpty()
                    ? null
                    : new LinkedHashSet<>(requested.keySet());
            Set<String> binary = new LinkedHashSet<>();
            for (ModelSession.TensorSpec spec : signature.outputs()) {
                if (outputs == null || outputs.contains(spec.name())) {
                    Boolean own = requested == null ? null : requested.get(spec.name());
                    if (own == null ? binaryByDefault : own) {
                        binary.add(spec.name());
                    }
                }
            }
            return new InferenceRequest(id, inputs, outputs, batchable ? (int) batchRows : 1, binary);
        }
    }

    /** One pass over the request; holds what was read so far. */
    private static final class Reader {
        private final JsonParser parser;
        private final byte[] body;
        private final Checker checker;
        private int binaryOffset;

        Reader(JsonParser parser, byte[] body, int jsonLength, ModelSession.Signature signature, boolean batchable) {
            this.parser = parser;
            this.body = body;
            this.binaryOffset = jsonLength;
            this.checker = new Checker(signature, batchable);
        }

        InferenceRequest read() throws IOException {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("the body must be a JSON object", null);
            }
            String id = null;
            boolean inputsSeen = false;
            Map<String, Boolean> requested = null;
            boolean binaryByDefault = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "id" -> {
                        if (value == JsonToken.VALUE_STRING) {
                            id = parser.getText();
                        } else if (value != JsonToken.VALUE_NULL) {
                            throw ApiException.badRequest("id must be a string", "id");
                        }
                    }
                    case "inputs" -> {
                        if (value != JsonToken.START_ARRAY) {
                            throw ApiException.badRequest("inputs must be a non-empty array", "inputs");
                        }
                        int i = 0;
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            input(i++);
                        }
                        inputsSeen = i > 0;
                    }
                    case "outputs" -> requested = value == JsonToken.VALUE_NULL ? null : outputs();
                    case "parameters" -> binaryByDefault = flag(parameters("parameters"), "binary_data_output",
                            "parameters.binary_data_output");
                    default -> parser.skipChildren();
                }
            }
            if (binaryOffset != body.length) {
                throw ApiException.badRequest((body.length - binaryOffset) + " bytes after the JSON header belong to"
                        + " no input: the inputs' binary_data_size add up to less than the body after "
                        + BinaryTensors.HEADER_LENGTH, BinaryTensors.HEADER_LENGTH);
            }
            return checker.finish(id, inputsSeen, requested, binaryByDefault);
        }

        /** One element of {@code inputs}; the parser is on its first token. */
        private void input(int i) throws IOException {
            String at = "inputs[" + i + "]";
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("each input must be an object", at);
            }
            Header header = new Header(at);
            TokenBuffer earlyData = null;
            TensorData tensor = null;
            boolean dataSeen = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "name" -> header.name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "datatype" -> header.datatype = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                    case "shape" -> header.shape = shape(at + ".shape");
                    case "parameters" -> header.binarySize = binarySize(parameters(at + ".parameters"), at);
                    case "data" -> {
                        dataSeen = value != JsonToken.VALUE_NULL;
                        if (header.complete()) {
                            tensor = TensorCodec.decode(check(header), header.shape, parser, at + ".data");
                        } else {
                            earlyData = TokenBuffer.asCopyOfValue(parser);
                        }
                    }
                    default -> parser.skipChildren();
                }
            }
            ModelSession.TensorSpec spec = tensor != null ? null : check(header);
            if (dataSeen && header.binarySize >= 0) {
                throw ApiException.badRequest("input '" + header.name + "' has both data and"
                        + " parameters.binary_data_size", at + ".data");
            }
            if (tensor == null && header.binarySize >= 0) {
                tensor = binary(spec, header);
            } else if (tensor == null && earlyData != null) {
                try (JsonParser data = earlyData.asParser()) {
                    data.nextToken();
                    tensor = TensorCodec.decode(spec, header.shape, data, at + ".data");
                }
            } else if (tensor == null) {
                throw ApiException.badRequest("data is missing", at + ".data");
            }
            checker.put(header.name, tensor);
        }

        private TensorData binary(ModelSession.TensorSpec spec, Header header) {
            int size = header.binarySize;
            if (size > body.length - binaryOffset) {
                throw ApiException.badRequest("the binary data is truncated: input '" + header.name + "' declares "
                        + size + " bytes at offset " + binaryOffset + " of the body, which has " + body.length
                        + " bytes", header.at + ".parameters.binary_data_size");
            }
            TensorData tensor = BinaryTensors.decode(spec.type(), header.shape, body, binaryOffset, size,
                    header.at + ".parameters.binary_data_size");
            binaryOffset += size;
            return tensor;
        }

        private ModelSession.TensorSpec check(Header header) {
            return checker.check(header.at, header.name, header.datatype, header.shape);
        }

        /** The requested outputs, each with its own binary_data choice (null when it has none). */
        private Map<String, Boolean> outputs() throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                throw ApiException.badRequest("outputs must be an array", "outputs");
            }
            Map<String, Boolean> names = new LinkedHashMap<>();
            int i = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String at = "outputs[" + i++ + "]";
                if (parser.currentToken() != JsonToken.START_OBJECT) {
                    throw ApiException.badRequest("each requested output must be an object", at);
                }
                String name = null;
                Boolean binary = null;
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String field = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (field.equals("name")) {
                        name = value == JsonToken.VALUE_STRING ? parser.getText() : null;
                        parser.skipChildren();
                    } else if (field.equals("parameters")) {
                        Map<String, Object> parameters = parameters(at + ".parameters");
                        binary = parameters.containsKey("binary_data")
                                ? flag(parameters, "binary_data", at + ".parameters.binary_data")
                                : null;
                    } else {
                        parser.skipChildren();
                    }
                }
                checker.checkOutput(at, name);
                names.put(name, binary);
            }
            return names;
        }

        /** A {@code parameters} object of scalar values (strings, numbers as Long or Double, booleans). */
        private Map<String, Object> parameters(String at) throws IOException {
            if (parser.currentToken() == JsonToken.VALUE_NULL) {
                return Map.of();
            }
            if (parser.currentToken() != JsonToken.START_OBJECT) {
                throw ApiException.badRequest("parameters must be an object", at);
            }
            Map<String, Object> parameters = new LinkedHashMap<>();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String key = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (value) {
                    case VALUE_TRUE, VALUE_FALSE -> parameters.put(key, value == JsonToken.VALUE_TRUE);
                    case VALUE_NUMBER_INT -> parameters.put(key, parser.getNumberType() == JsonParser.NumberType.INT
                            || parser.getNumberType() == JsonParser.NumberType.LONG ? parser.getLongValue() : -1L);
                    case VALUE_NUMBER_FLOAT -> parameters.put(key, parser.getDoubleValue());
                    case VALUE_STRING -> parameters.put(key, parser.getText());
                    default -> parser.skipChildren();
                }
            }
            return parameters;
        }

        private static boolean flag(Map<String, Object> parameters, String key, String at) {
            Object value = parameters.get(key);
            if (value != null && !(value instanceof Boolean)) {
                throw ApiException.badRequest(key + " must be true or false", at);
            }
            return Boolean.TRUE.equals(value);
        }

        private static int binarySize(Map<String, Object> parameters, String at) {
            Object value = parameters.get("binary_data_size");
            if (value == null) {
                return -1;
            }
            if (!(value instanceof Long size) || size < 0 || size > Integer.MAX_VALUE) {
                throw ApiException.badRequest("binary_data_size must be a non-negative integer",
                        at + ".parameters.binary_data_size");
            }
            return (int) (long) size;
        }

        /** The shape, or null when it is not an array of non-negative integers. */
        private long[] shape(String at) throws IOException {
            if (parser.currentToken() != JsonToken.START_ARRAY) {
                parser.skipChildren();
                return null;
            }
            long[] shape = new long[8];
            int n = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                if (parser.currentToken() != JsonToken.VALUE_NUMBER_INT
                        || parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || parser.getLongValue() < 0 || parser.getLongValue() > Integer.MAX_VALUE) {
                    throw ApiException.badRequest("shape dimensions must be non-negative integers", at);
                }
                if (n == shape.length) {
                    shape = Arrays.copyOf(shape, n * 2);
                }
                shape[n++] = parser.getLongValue();
            }
            return Arrays.copyOf(shape, n);
        }
    }

    /** What an input object said about itself, before it is checked. */
    private static final class Header {
        final String at;
        String name;
        String datatype;
        long[] shape;
        int binarySize = -1;

        Header(String at) {
            this.at = at;
        }

        boolean complete() {
            return name != null && datatype != null && shape != null;
        }
    }

    private static String names(ModelSession.Signature signature) {
        return signature.inputs().stream().map(ModelSession.TensorSpec::name).collect(Collectors.joining(", "));
    }

    private static boolean fits(long[] shape, long[] declared) {
        if (shape.length != declared.length) {
            return false;
        }
        for (int i = 0; i < shape.length; i++) {
            if (declared[i] >= 0 && declared[i] != shape[i]) {
                return false;
            }
        }
        return true;
    }
}
