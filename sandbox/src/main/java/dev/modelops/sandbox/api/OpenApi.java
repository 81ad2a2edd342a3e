package dev.modelops.sandbox.api;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * OpenAPI v3 documents built from the registry: one per group version, with the CRDs' schemas (so
 * {@code kubectl explain} reads the field documentation) and, on every write operation, the {@code fieldValidation}
 * query parameter. kubectl looks for that parameter to decide that the server validates what it applies, so plain
 * {@code kubectl apply} works and the server's admission (schema and CEL rules) answers.
 */
final class OpenApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final ApiResources resources;

    OpenApi(ApiResources resources) {
        this.resources = resources;
    }

    ObjectNode root() {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode paths = root.putObject("paths");
        Set<String> groupVersions = new LinkedHashSet<>();
        resources.all().forEach(r -> groupVersions.add(r.basePath().substring(1)));
        groupVersions.forEach(gv -> paths.putObject(gv).put("serverRelativeURL", "/openapi/v3/" + gv));
        return root;
    }

    /** The document of one group version ({@code api/v1}, {@code apis/<group>/<version>}), or null. */
    ObjectNode groupVersion(String gvPath) {
        List<ApiResource> list = resources.all().stream().filter(r -> r.basePath().equals("/" + gvPath)).toList();
        if (list.isEmpty()) {
            return null;
        }
        ObjectNode doc = JSON.createObjectNode().put("openapi", "3.0.0");
        doc.putObject("info").put("title", "ModelOps sandbox (test-grade API server)").put("version", "v1");
        ObjectNode paths = doc.putObject("paths");
        ObjectNode schemas = doc.putObject("components").putObject("schemas");
        for (ApiResource r : list) {
            String schemaName = schemaName(r);
            String collection = r.basePath() + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
            ObjectNode collectionPath = paths.putObject(collection);
            collectionPath.set("get", operation(r, "list", false));
            collectionPath.set("post", operation(r, "create", true));
            ObjectNode item = paths.putObject(collection + "/{name}");
            item.set("get", operation(r, "read", false));
            item.set("put", operation(r, "replace", true));
            item.set("patch", operation(r, "patch", true));
            item.set("delete", operation(r, "delete", false));

            ObjectNode schema = resources.crd(r).map(crd -> crdSchema(crd)).orElseGet(() -> {
                ObjectNode open = JSON.createObjectNode().put("type", "object");
                open.put("x-kubernetes-preserve-unknown-fields", true);
                return open;
            });
            schema.putArray("x-kubernetes-group-version-kind").add(gvk(r));
            schemas.set(schemaName, schema);
        }
        return doc;
    }

    private static ObjectNode crdSchema(JsonNode crd) {
        ObjectNode schema = ((ObjectNode) crd.at("/spec/versions/0/schema/openAPIV3Schema")).deepCopy();
        ObjectNode properties = schema.withObjectProperty("properties");
        if (!properties.has("apiVersion")) {
            properties.putObject("apiVersion").put("type", "string").put("description",
                    "APIVersion defines the versioned schema of this representation of an object.");
        }
        if (!properties.has("kind")) {
            properties.putObject("kind").put("type", "string").put("description",
                    "Kind is a string value representing the REST resource this object represents.");
        }
        if (!properties.has("metadata")) {
            properties.putObject("metadata").put("type", "object").put("description",
                    "Standard object's metadata.");
        }
        return schema;
    }

    private static String schemaName(ApiResource r) {
        String group = r.group().isEmpty() ? "io.k8s.api.core" : String.join(".", reverse(r.group().split("\\.")));
        return group + "." + r.version() + "." + r.kind();
    }

    private static List<String> reverse(String[] parts) {
        List<String> list = new java.util.ArrayList<>(List.of(parts));
        java.util.Collections.reverse(list);
        return list;
    }

    private static ObjectNode gvk(ApiResource r) {
        return JSON.createObjectNode().put("group", r.group()).put("version", r.version()).put("kind", r.kind());
    }

    private ObjectNode operation(ApiResource r, String action, boolean write) {
        ObjectNode op = JSON.createObjectNode();
        op.put("operationId", action + r.kind());
        op.put("x-kubernetes-action", action.equals("read") ? "get" : action);
        op.set("x-kubernetes-group-version-kind", gvk(r));
        ArrayNode parameters = op.putArray("parameters");
        if (write) {
            parameters.addObject().put("name", "fieldValidation").put("in", "query").put("description",
                    "Strict: unknown and duplicate fields are refused; the sandbox also checks the CRD's schema "
                            + "and CEL rules, as admission does on a cluster.")
                    .putObject("schema").put("type", "string");
            parameters.addObject().put("name", "fieldManager").put("in", "query").putObject("schema")
                    .put("type", "string");
            parameters.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type",
                    "string");
            ObjectNode content = op.putObject("requestBody").putObject("content");
            String ref = "#/components/schemas/" + schemaName(r);
            if (action.equals("patch")) {
                // No strategic merge patch: the mock server refuses it; kubectl then sends a JSON merge patch.
                content.putObject("application/json-patch+json").putObject("schema").put("type", "object");
                content.putObject("application/merge-patch+json").putObject("schema").put("type", "object");
            } else {
                content.putObject("application/json").putObject("schema").put("$ref", ref);
            }
        }
        op.putObject("responses").putObject("200").put("description", "OK");
        return op;
    }
}
