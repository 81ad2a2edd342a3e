package dev.modelops.sandbox.api;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.modelops.validation.CrdValidator;

/**
 * Admission for custom resources, as the API server does it: the CRD's openAPIV3Schema, then its CEL rules
 * ({@code oldSelf} bound on update), and with {@code fieldValidation=Strict} (kubectl's default) unknown fields.
 * A refusal is the 422 Status a cluster answers, so kubectl prints {@code The ModelTraining "x" is invalid: ...}.
 */
final class Admission {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiResources resources;
    private final Map<String, CrdValidator> validators = new ConcurrentHashMap<>();

    Admission(ApiResources resources) {
        this.resources = resources;
    }

    /** Field errors for writing {@code object} (replacing {@code old}, null on create); empty when admitted. */
    List<String> review(ApiResource resource, JsonNode old, JsonNode object, boolean strict) {
        JsonNode crd = resources.crd(resource).orElse(null);
        if (crd == null) {
            return List.of();
        }
        CrdValidator validator = validators.computeIfAbsent(resource.group() + "/" + resource.plural(),
                k -> CrdValidator.of(crd));
        List<String> errors = new ArrayList<>();
        if (strict) {
            unknownFields(validator.schema(), object, "", errors);
        }
        // Status is written through its own subresource; the main resource's schema does not police it here.
        ObjectNode checked = object.deepCopy();
        checked.remove("status");
        ObjectNode oldChecked = old == null ? null : (ObjectNode) old.deepCopy();
        if (oldChecked != null) {
            oldChecked.remove("status");
        }
        for (String e : old == null
                ? validator.validateCreate(checked)
                : validator.validateUpdate(oldChecked, checked)) {
            errors.add(e.startsWith("$.") ? e.substring(2) : e.startsWith("$") ? e.substring(1) : e);
        }
        return errors;
    }

    private static void unknownFields(JsonNode schema, JsonNode value, String path, List<String> errors) {
        if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        if (value.isObject()) {
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.path("additionalProperties");
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (path.isEmpty() && (field.getKey().equals("metadata") || field.getKey().equals("apiVersion")
                        || field.getKey().equals("kind"))) {
                    continue;
                }
                if (properties.has(field.getKey())) {
                    unknownFields(properties.get(field.getKey()), field.getValue(), child, errors);
                } else if (additional.isObject()) {
                    unknownFields(additional, field.getValue(), child, errors);
                } else if (!additional.asBoolean(false) && properties.isObject()) {
                    errors.add("unknown field \"" + child + "\"");
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                unknownFields(schema.get("items"), value.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    /** The 422 Status the API server answers for an invalid object. */
    static ObjectNode invalid(ApiResource resource, String name, List<String> errors) {
        String qualified = resource.kind() + (resource.group().isEmpty() ? "" : "." + resource.group());
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure");
        String detail = errors.size() == 1 ? errors.get(0) : "[" + String.join(", ", errors) + "]";
        status.put("message", qualified + " \"" + name + "\" is invalid: " + detail);
        status.put("reason", "Invalid");
        ObjectNode details = status.putObject("details").put("name", name).put("group", resource.group())
                .put("kind", resource.kind());
        ArrayNode causes = details.putArray("causes");
        for (String e : errors) {
            int colon = e.indexOf(": ");
            // kubectl prints each cause as "<field>: <message>".
            causes.addObject().put("reason", "FieldValueInvalid")
                    .put("message", colon > 0 ? e.substring(colon + 2) : e)
                    .put("field", colon > 0 ? e.substring(0, colon) : "");
        }
        status.put("code", 422);
        return status;
    }
}
