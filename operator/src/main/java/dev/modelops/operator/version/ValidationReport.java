package dev.modelops.operator.version;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.common.Signature;
import dev.modelops.contract.FailureReason;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.api.common.TensorSpec;

/**
 * What the runtime's {@code validate} command reports in its termination message: on success the digest, timings
 * and signature; on failure a reason from a fixed vocabulary and a message.
 */
public record ValidationReport(boolean ok, String reason, String message, String sha256, Boolean sha256Verified,
        Long sizeBytes, Long loadMillis, Long warmupMillis, Signature signature, String warmupError) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Parses a termination message; a message that is not a report gives {@code null}. */
    public static ValidationReport parse(String message) {
        if (message == null || message.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = JSON.readTree(message);
        } catch (JsonProcessingException e) {
            return null;
        }
        if (root == null || !root.isObject() || !root.path(RuntimeContract.REPORT_OK).isBoolean()) {
            return null;
        }
        if (!root.get(RuntimeContract.REPORT_OK).asBoolean()) {
            return new ValidationReport(false, root.path(RuntimeContract.REPORT_REASON).asText(null),
                    root.path(RuntimeContract.REPORT_MESSAGE).asText(null),
                    null, null, null, null, null, null, null);
        }
        Signature signature = new Signature();
        signature.setInputs(tensors(root.path(RuntimeContract.REPORT_SIGNATURE).path("inputs")));
        signature.setOutputs(tensors(root.path(RuntimeContract.REPORT_SIGNATURE).path("outputs")));
        return new ValidationReport(true, null, null, root.path(RuntimeContract.REPORT_SHA256).asText(null),
                root.has(RuntimeContract.REPORT_SHA256_VERIFIED)
                        ? root.get(RuntimeContract.REPORT_SHA256_VERIFIED).asBoolean()
                        : null,
                longOrNull(root, RuntimeContract.REPORT_SIZE_BYTES),
                longOrNull(root, RuntimeContract.REPORT_LOAD_MILLIS),
                longOrNull(root, RuntimeContract.REPORT_WARMUP_MILLIS),
                signature, root.path(RuntimeContract.REPORT_WARMUP_ERROR).asText(null));
    }

    /** The failure reason, when it is one of the runtime's; {@code null} otherwise. */
    public FailureReason knownReason() {
        return FailureReason.parse(reason);
    }

    private static List<TensorSpec> tensors(JsonNode array) {
        List<TensorSpec> result = new ArrayList<>();
        for (JsonNode node : array) {
            TensorSpec tensor = new TensorSpec();
            tensor.setName(node.path("name").asText(null));
            tensor.setDatatype(node.path("datatype").asText(null));
            List<Long> shape = new ArrayList<>();
            node.path("shape").forEach(d -> shape.add(d.asLong()));
            tensor.setShape(shape);
            result.add(tensor);
        }
        return result;
    }

    private static Long longOrNull(JsonNode root, String field) {
        return root.path(field).isNumber() ? root.get(field).asLong() : null;
    }
}
