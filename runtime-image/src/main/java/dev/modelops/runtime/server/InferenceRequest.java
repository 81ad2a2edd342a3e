package dev.modelops.runtime.server;

import java.io.IOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.runtime.onnx.ElementType;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;

/**
 * An inference request checked against the model's signature: every input present, of the declared datatype, of a
 * shape that fits the declared one; {@code outputs} null means every output.
 */
public record InferenceRequest(String id, Map<String, TensorData> inputs, Set<String> outputs, int rows) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static InferenceRequest parse(byte[] body, ModelSession.Signature signature, boolean batchable) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage(), null);
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable body: " + e.getMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", null);
        }
        JsonNode idNode = root.get("id");
        String id = idNode == null || idNode.isNull() ? null : idNode.isValueNode() ? idNode.asText() : null;
        if (idNode != null && !idNode.isNull() && !idNode.isTextual()) {
            throw ApiException.badRequest("id must be a string", "id");
        }
        JsonNode inputsNode = root.get("inputs");
        if (inputsNode == null || !inputsNode.isArray() || inputsNode.isEmpty()) {
            throw ApiException.badRequest("inputs must be a non-empty array", "inputs");
        }
        Map<String, TensorData> inputs = new LinkedHashMap<>();
        long batchRows = -1;
        for (int i = 0; i < inputsNode.size(); i++) {
            String at = "inputs[" + i + "]";
            JsonNode input = inputsNode.get(i);
            if (!input.isObject()) {
                throw ApiException.badRequest("each input must be an object", at);
            }
            String name = text(input, "name", at);
            ModelSession.TensorSpec spec = signature.input(name);
            if (spec == null) {
                throw ApiException.badRequest("the model has no input '" + name + "'; its inputs are "
                        + names(signature), at + ".name");
            }
            if (inputs.containsKey(name)) {
                throw ApiException.badRequest("input '" + name + "' is given twice", at + ".name");
            }
            String datatype = text(input, "datatype", at);
            if (ElementType.fromDatatype(datatype) == null) {
                throw ApiException.badRequest("unknown datatype " + datatype, at + ".datatype");
            }
            if (!datatype.equals(spec.datatype())) {
                throw ApiException.badRequest("input '" + name + "' has datatype " + spec.datatype() + ", not "
                        + datatype, at + ".datatype");
            }
            if (spec.type().javaType() == ai.onnxruntime.OnnxJavaType.UNKNOWN) {
                throw ApiException.badRequest("input '" + name + "' has datatype " + datatype
                        + ", which ONNX Runtime's Java API cannot feed", at + ".datatype");
            }
            long[] shape = shape(input.get("shape"), at + ".shape");
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
            inputs.put(name, TensorCodec.decode(spec.type(), shape, input.get("data"), at + ".data"));
        }
        for (ModelSession.TensorSpec spec : signature.inputs()) {
            if (!inputs.containsKey(spec.name())) {
                throw ApiException.badRequest("input '" + spec.name() + "' is missing", "inputs");
            }
        }
        return new InferenceRequest(id, inputs, outputs(root.get("outputs"), signature),
                batchable ? (int) batchRows : 1);
    }

    private static Set<String> outputs(JsonNode node, ModelSession.Signature signature) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("outputs must be an array", "outputs");
        }
        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "outputs[" + i + "]";
            if (!node.get(i).isObject()) {
                throw ApiException.badRequest("each requested output must be an object", at);
            }
            String name = text(node.get(i), "name", at);
            if (signature.output(name) == null) {
                throw ApiException.badRequest("the model has no output '" + name + "'; its outputs are "
                        + signature.outputs().stream().map(ModelSession.TensorSpec::name)
                                .collect(Collectors.joining(", ")),
                        at + ".name");
            }
            names.add(name);
        }
        return names.isEmpty() ? null : names;
    }

    private static String names(ModelSession.Signature signature) {
        return signature.inputs().stream().map(ModelSession.TensorSpec::name).collect(Collectors.joining(", "));
    }

    private static String text(JsonNode node, String key, String at) {
        JsonNode value = node.get(key);
        if (value == null || !value.isTextual()) {
            throw ApiException.badRequest(key + " is missing or not a string", at + "." + key);
        }
        return value.textValue();
    }

    private static long[] shape(JsonNode node, String at) {
        if (node == null || !node.isArray()) {
            throw ApiException.badRequest("shape is missing or not an array", at);
        }
        long[] shape = new long[node.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode dim = node.get(i);
            if (!dim.isIntegralNumber() || dim.longValue() < 0 || dim.longValue() > Integer.MAX_VALUE) {
                throw ApiException.badRequest("shape dimensions must be non-negative integers", at);
            }
            shape[i] = dim.longValue();
        }
        return shape;
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
