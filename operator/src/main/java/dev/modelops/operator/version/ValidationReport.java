package dev.modelops.operator.version;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.common.Signature;
import dev.modelops.api.common.TensorSpec;

/**
 * What the runtime's {@code validate} command reports in its termination message: on success the digest, timings
 * and signature; on failure a reason from a fixed vocabulary and a message.
 */
public record ValidationReport(boolean ok, String reason, String message, String sha256, Boolean sha256Verified,
        Long sizeBytes, Long loadMillis, Long warmupMillis, Signature signature) {

    /** Failure reasons the validate command reports, and whether trying again can help. */
    public enum Reason {
        ArtifactNotFound(false), ArtifactUnreachable(true), ChecksumMismatch(false), InvalidModel(false), LoadFailed(
                false), WarmupFailed(false);

        private final boolean transientFailure;

        Reason(boolean transientFailure) {
            this.transientFailure = transientFailure;
        }

        public boolean isTransient() {
            return transientFailure;
        }

        static Reason parse(String text) {
            for (Reason r : values()) {
                if (r.name().equals(text)) {
                    return r;
                }
            }
            return null;
        }
    }

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
        if (root == null || !root.isObject() || !root.path("ok").isBoolean()) {
            return null;
        }
        if (!root.get("ok").asBoolean()) {
            return new ValidationReport(false, root.path("reason").asText(null), root.path("message").asText(null),
                    null, null, null, null, null, null);
        }
        Signature signature = new Signature();
        signature.setInputs(tensors(root.at("/signature/inputs")));
        signature.setOutputs(tensors(root.at("/signature/outputs")));
        return new ValidationReport(true, null, null, root.path("sha256").asText(null),
                root.has("sha256Verified") ? root.get("sha256Verified").asBoolean() : null,
                longOrNull(root, "sizeBytes"), longOrNull(root, "loadMillis"), longOrNull(root, "warmupMillis"),
                signature);
    }

    public Reason knownReason() {
        return Reason.parse(reason);
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
