package dev.modelops.operator.common;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Pure: compares an owned object with what the operator wants of it, looking only at what the operator sets. The API
 * server fills defaults into every object (a Deployment's strategy details, a container's terminationMessagePath, a
 * Service's clusterIP); those are not ours, so they never count as drift. A field we set that differs — a hand edit of
 * a replica count, a deleted port — does.
 */
public final class OwnedState {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Map keys whose values are resource quantities, which the API server writes in canonical form. */
    private static final Set<String> QUANTITY_MAPS = Set.of("limits", "requests", "capacity", "allocatable");

    private OwnedState() {
    }

    /** Whether {@code actual} has every field of {@code desired} with the same value. */
    public static boolean matches(Object desired, Object actual) {
        return covers(tree(desired), tree(actual), "", "");
    }

    /**
     * {@code desired} with its digest annotation set ({@link OwnedResources#DESIRED_HASH}, of everything else in
     * it), and its JSON tree, made once for the digest and every comparison.
     */
    public record Desired<T extends HasMetadata>(T object, JsonNode tree, String digest) {

        /** Whether {@code actual} has every field of this with the same value. */
        public boolean isCoveredBy(T actual) {
            return covers(tree, OwnedState.tree(actual), "", "");
        }
    }

    /** Stamps {@code desired} with its digest annotation (in place) and keeps its tree. */
    public static <T extends HasMetadata> Desired<T> stamp(T desired) {
        if (desired.getMetadata().getAnnotations() == null) {
            desired.getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
        }
        desired.getMetadata().getAnnotations().remove(OwnedResources.DESIRED_HASH);
        ObjectNode node = (ObjectNode) tree(desired);
        String digest = KubeNames.sha256(node.toString()).substring(0, 16);
        desired.getMetadata().getAnnotations().put(OwnedResources.DESIRED_HASH, digest);
        ObjectNode metadata = (ObjectNode) node.get("metadata");
        JsonNode annotations = metadata.get("annotations");
        (annotations instanceof ObjectNode a ? a : metadata.putObject("annotations")).put(OwnedResources.DESIRED_HASH,
                digest);
        return new Desired<>(desired, node, digest);
    }

    /**
     * What to write to make {@code actual} what we want: {@code desired} whole (so a field we stopped setting goes,
     * and the API server fills its defaults again), keeping the labels and annotations others put on the object and
     * the values the API server allocated once and never changes (a Service's cluster IPs).
     */
    public static <T extends HasMetadata> T replacement(T desired, T actual) {
        ObjectNode result = (ObjectNode) tree(desired);
        ObjectNode metadata = (ObjectNode) result.get("metadata");
        JsonNode actualTree = tree(actual);
        for (String map : List.of("labels", "annotations")) {
            JsonNode theirs = actualTree.path("metadata").path(map);
            if (theirs.isObject()) {
                ObjectNode merged = ((ObjectNode) theirs).deepCopy();
                if (metadata.get(map) != null && metadata.get(map).isObject()) {
                    merged.setAll((ObjectNode) metadata.get(map));
                }
                metadata.set(map, merged);
            }
        }
        JsonNode actualSpec = actualTree.path("spec");
        // A real API server ignores status in an update; carrying it keeps test-grade servers from dropping it.
        if (!actualTree.path("status").isMissingNode()) {
            result.set("status", actualTree.get("status"));
        }
        if ("Service".equals(desired.getKind()) && result.get("spec") instanceof ObjectNode spec) {
            for (String allocated : List.of("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy")) {
                if (!actualSpec.path(allocated).isMissingNode() && !spec.has(allocated)) {
                    spec.set(allocated, actualSpec.get(allocated));
                }
            }
        }
        try {
            @SuppressWarnings("unchecked")
            T value = (T) JSON.treeToValue(result, desired.getClass());
            return value;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Kubernetes object always converts back to its own type", e);
        }
    }

    private static JsonNode tree(Object value) {
        return JSON.valueToTree(value);
    }

    /** {@code key}: where {@code desired} sits; {@code parent}: the key of the map holding it (to know quantities). */
    private static boolean covers(JsonNode desired, JsonNode actual, String key, String parent) {
        if (desired == null || desired.isNull()) {
            return true;
        }
        if (actual == null || actual.isNull()) {
            // The API server drops empty and zero values (Go's omitempty): wanting one is having it.
            return isEmptyValue(desired);
        }
        if (desired.isObject()) {
            if (!actual.isObject()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = desired.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!covers(field.getValue(), actual.get(field.getKey()), field.getKey(), key)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.isArray()) {
            if (!actual.isArray() || actual.size() != desired.size()) {
                return false;
            }
            for (int i = 0; i < desired.size(); i++) {
                if (!covers(desired.get(i), actual.get(i), "", key)) {
                    return false;
                }
            }
            return true;
        }
        if (desired.equals(actual)) {
            return true;
        }
        if (QUANTITY_MAPS.contains(parent) && desired.isTextual() && actual.isTextual()) {
            return sameQuantity(desired.asText(), actual.asText());
        }
        // 1 and 1.0, or "80" written where the server keeps 80: equal numbers are equal.
        return desired.isNumber() && actual.isNumber() && desired.decimalValue().compareTo(actual.decimalValue()) == 0;
    }

    private static boolean isEmptyValue(JsonNode node) {
        return (node.isContainerNode() && node.isEmpty()) || (node.isBoolean() && !node.asBoolean())
                || (node.isNumber() && node.decimalValue().signum() == 0) || (node.isTextual() && node.asText()
                        .isEmpty());
    }

    private static boolean sameQuantity(String a, String b) {
        try {
            return Quantity.getAmountInBytes(new Quantity(a))
                    .compareTo(Quantity.getAmountInBytes(new Quantity(b))) == 0;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

}
