package dev.modelops.sandbox.api;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;

/**
 * The Fabric8 mock server's CRUD store, plus what kubectl and a cluster's clients expect of an API server and the
 * mock does not do: discovery, OpenAPI v3, admission of custom resources (schema and CEL rules), Table responses,
 * the scale subresource, pod logs, and a count of writes by client.
 */
public final class SandboxDispatcher extends KubernetesCrudDispatcher {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Deployments and ReplicaSets: replicas in spec and status, the selector from spec.selector.matchLabels. */
    private static final JsonNode BUILT_IN_SCALE = JSON.createObjectNode().put("specReplicasPath", ".spec.replicas")
            .put("statusReplicasPath", ".status.replicas");

    private final ApiResources resources;
    private final Discovery discovery;
    private final OpenApi openApi;
    private final Tables tables;
    private final Admission admission;
    private final WriteLog writes;
    private final Clock clock;
    private volatile PodLogSource logs;
    private volatile String serverAddress = "127.0.0.1";

    public SandboxDispatcher(ApiResources resources, WriteLog writes, Clock clock) {
        super(List.of());
        this.resources = resources;
        this.discovery = new Discovery(resources);
        this.openApi = new OpenApi(resources);
        this.tables = new Tables(resources, clock);
        this.admission = new Admission(resources);
        this.writes = writes;
        this.clock = clock;
    }

    void serverAddress(String address) {
        this.serverAddress = address;
    }

    public void podLogs(PodLogSource source) {
        this.logs = source;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        MockResponse response;
        try {
            response = route(request);
        } catch (RuntimeException e) {
            response = status(500, "InternalError", "sandbox API server: " + e);
        }
        if (response.code() == 202 && ("PUT".equals(request.getMethod()) || "PATCH".equals(request.getMethod()))) {
            response.setResponseCode(200); // the store answers 202 to updates; an API server answers 200
        }
        if (response.getHeaders().get("Content-Type") == null && response.getBody() != null
                && response.getBody().size() > 0) {
            // Without it, typed clients (kubectl describe) take the body for protobuf.
            response.setHeader("Content-Type", "application/json");
        }
        if (!"GET".equals(request.getMethod())) {
            String ua = request.getHeader("User-Agent");
            writes.record(new WriteLog.Write(clock.instant(), ua == null ? "" : ua, request.getMethod(),
                    request.getPath(), response.code()));
        }
        return response;
    }

    private MockResponse route(RecordedRequest original) {
        // The body is read here once and handed on in a fresh request: reading a Buffer consumes it.
        byte[] bodyBytes = original.getBody() == null ? new byte[0] : original.getBody().readByteArray();
        RecordedRequest request = new RecordedRequest(original.getHttpVersion(), original.method(),
                original.getPath(), original.getHeaders(), new Buffer(bodyBytes));
        String path = request.getPath();
        String bare = path.contains("?") ? path.substring(0, path.indexOf('?')) : path;
        boolean get = "GET".equals(request.getMethod());
        if (get) {
            switch (bare) {
                case "/version" :
                    return json(200, JSON.createObjectNode().put("major", "1").put("minor", "32")
                            .put("gitVersion", "v1.32.0-modelops-sandbox").put("platform", "linux/amd64")
                            .put("goVersion", "none (Fabric8 mock API server in CRUD mode, test-grade)"));
                case "/api" :
                    return json(200, discovery.coreVersions(serverAddress));
                case "/apis" :
                    return json(200, discovery.groups());
                case "/openapi/v3" :
                    return json(200, openApi.root());
                case "/sandbox/writes" :
                    return json(200, writes.toJson());
                case "/healthz", "/livez", "/readyz" :
                    return new MockResponse().setResponseCode(200).setBody("ok");
                default :
                    break;
            }
            if (bare.startsWith("/openapi/v3/")) {
                ObjectNode doc = openApi.groupVersion(bare.substring("/openapi/v3/".length()));
                return doc == null ? status(404, "NotFound", "no OpenAPI document for " + bare) : json(200, doc);
            }
            if (bare.startsWith("/openapi/")) {
                return status(404, "NotFound", "the sandbox serves OpenAPI v3 only");
            }
            String[] parts = bare.replaceAll("^/+|/+$", "").split("/");
            if (parts.length == 2 && parts[0].equals("api")) {
                return discoveryOf("", parts[1]);
            }
            if (parts.length == 3 && parts[0].equals("apis")) {
                return discoveryOf(parts[1], parts[2]);
            }
        }
        Optional<ResourcePath> parsed = ResourcePath.parse(path);
        if (parsed.isEmpty()) {
            return super.dispatch(request);
        }
        ResourcePath rp = parsed.get();
        Optional<ApiResource> resource = resources.find(rp.group(), rp.version(), rp.plural());
        if (resource.isEmpty()) {
            return status(404, "NotFound", "the server could not find the requested resource");
        }
        ApiResource r = resource.get();
        if ("log".equals(rp.subresource()) && r.kind().equals("Pod") && get) {
            return podLog(rp);
        }
        if ("scale".equals(rp.subresource())) {
            return scale(request, bodyBytes, rp, r);
        }
        if (get && rp.subresource() == null && accepts(request, "as=Table")
                && !"true".equals(rp.query().get("watch"))) {
            MockResponse stored = super.dispatch(request);
            if (stored.code() != 200) {
                return stored;
            }
            return json(200, tables.toTable(r, read(stored)));
        }
        if (rp.subresource() == null && resources.crd(r).isPresent()
                && ("POST".equals(request.getMethod()) || "PUT".equals(request.getMethod())
                        || "PATCH".equals(request.getMethod()))) {
            MockResponse refused = admit(request, new String(bodyBytes, StandardCharsets.UTF_8), rp, r);
            if (refused != null) {
                return refused;
            }
        }
        if ("POST".equals(request.getMethod()) && r.kind().equals("Job") && rp.subresource() == null) {
            request = withJobDefaults(request, bodyBytes);
        }
        if ("PATCH".equals(request.getMethod()) && rp.name() != null
                && String.valueOf(request.getHeader("Content-Type")).startsWith("application/merge-patch+json")) {
            request = asUpdate(request, bodyBytes, rp);
            if (request == null) {
                return status(404, "NotFound", rp.plural() + " \"" + rp.name() + "\" not found");
            }
        }
        boolean list = get && rp.name() == null && !"true".equals(rp.query().get("watch"));
        String fieldSelector = list ? rp.query().get("fieldSelector") : null;
        if (fieldSelector != null) {
            // The store knows few fields; the sandbox filters lists itself (kubectl describe selects events by
            // involvedObject.*).
            request = new RecordedRequest(request.getHttpVersion(), request.method(),
                    withoutQuery(path, "fieldSelector"), request.getHeaders(), new Buffer(bodyBytes));
        }
        MockResponse response = super.dispatch(request);
        if (list && response.code() == 200) {
            // The store calls every list "List"; clients (kubectl logs -l among them) expect "<Kind>List".
            ObjectNode listBody = (ObjectNode) read(response);
            listBody.put("kind", r.kind() + "List").put("apiVersion", r.apiVersion());
            if (fieldSelector != null) {
                var items = JSON.createArrayNode();
                listBody.path("items").forEach(item -> {
                    if (FieldSelector.matches(fieldSelector, item)) {
                        items.add(item);
                    }
                });
                listBody.set("items", items);
            }
            return json(200, listBody);
        }
        return response;
    }

    /**
     * A JSON merge patch as the update it stands for. The store's own merge appends to lists where RFC 7386 replaces
     * them (a pod's containerStatuses grew with every status patch), so the sandbox merges and the store replaces.
     */
    private RecordedRequest asUpdate(RecordedRequest request, byte[] bodyBytes, ResourcePath rp) {
        MockResponse current = super.handleGet(rp.objectPath());
        if (current.code() != 200) {
            return null;
        }
        JsonNode merged;
        try {
            merged = mergePatch(read(current), JSON.readTree(new String(bodyBytes, StandardCharsets.UTF_8)));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the merge patch is not JSON: " + e.getOriginalMessage(), e);
        }
        Headers headers = request.getHeaders().newBuilder().set("Content-Type", "application/json").build();
        return new RecordedRequest(request.getHttpVersion(), HttpMethod.PUT, request.getPath(), headers,
                new Buffer(merged.toString().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * What the API server defaults on a new Job: a selector on {@code batch.kubernetes.io/controller-uid}
     * with the matching labels on the pod template (kubectl logs job/NAME and the Job controller select by them).
     */
    private static RecordedRequest withJobDefaults(RecordedRequest request, byte[] bodyBytes) {
        ObjectNode job;
        try {
            job = (ObjectNode) JSON.readTree(new String(bodyBytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException | ClassCastException e) {
            return request; // the store answers the bad request
        }
        // The store assigns uids itself and ignores one given, so the selector gets its own unique value.
        String uid = java.util.UUID.randomUUID().toString();
        String name = job.path("metadata").path("name").asText();
        ObjectNode spec = job.withObjectProperty("spec");
        if (!spec.path("manualSelector").asBoolean(false) && !spec.has("selector")) {
            spec.putObject("selector").putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
            ObjectNode labels = spec.withObjectProperty("template").withObjectProperty("metadata")
                    .withObjectProperty("labels");
            labels.put("batch.kubernetes.io/controller-uid", uid).put("batch.kubernetes.io/job-name", name)
                    .put("controller-uid", uid).put("job-name", name);
        }
        return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
                new Buffer(job.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private MockResponse discoveryOf(String group, String version) {
        ObjectNode doc = discovery.groupVersion(group, version);
        return doc == null
                ? status(404, "NotFound", "the server could not find the requested resource")
                : json(200, doc);
    }

    /** Null when admitted; the refusal otherwise. */
    private MockResponse admit(RecordedRequest request, String text, ResourcePath rp, ApiResource r) {
        JsonNode old = null;
        JsonNode object;
        String method = request.getMethod();
        if (!"POST".equals(method)) {
            MockResponse current = super.handleGet(rp.objectPath());
            if (current.code() == 200) {
                old = read(current);
            }
        }
        JsonNode body = JSON.createObjectNode();
        try {
            body = text == null || text.isBlank() ? body : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return status(400, "BadRequest", "the request body is not JSON: " + e.getOriginalMessage());
        }
        if ("PATCH".equals(method)) {
            if (old == null) {
                return null; // the store answers 404
            }
            String type = String.valueOf(request.getHeader("Content-Type"));
            if (type.startsWith("application/json-patch+json")) {
                try {
                    object = JsonPatch.apply(body, old);
                } catch (RuntimeException e) {
                    return status(422, "Invalid", "the JSON patch does not apply: " + e.getMessage());
                }
            } else if (type.startsWith("application/merge-patch+json")) {
                object = mergePatch(old.deepCopy(), body);
            } else {
                return status(415, "UnsupportedMediaType",
                        "the sandbox API server (Fabric8 mock) supports JSON patch and JSON merge patch, not " + type);
            }
        } else {
            object = body;
        }
        boolean strict = "Strict".equalsIgnoreCase(rp.query().get("fieldValidation"));
        List<String> errors = admission.review(r, "POST".equals(method) ? null : old, object, strict);
        if (errors.isEmpty()) {
            return null;
        }
        String name = object.at("/metadata/name").asText(rp.name() == null ? "" : rp.name());
        return json(422, Admission.invalid(r, name, errors));
    }

    static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch;
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target : JSON.createObjectNode();
        patch.fields().forEachRemaining(e -> {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), mergePatch(result.get(e.getKey()), e.getValue()));
            }
        });
        return result;
    }

    private MockResponse podLog(ResourcePath rp) {
        PodLogSource source = logs;
        MockResponse pod = super.handleGet(rp.objectPath());
        if (pod.code() != 200) {
            return pod;
        }
        if (source == null) {
            return status(400, "BadRequest", "no kubelet runs in this sandbox");
        }
        try {
            String tail = rp.query().get("tailLines");
            String text = source.read(rp.namespace(), rp.name(), rp.query().get("container"),
                    "true".equals(rp.query().get("previous")), tail == null ? null : Integer.valueOf(tail));
            return new MockResponse().setResponseCode(200).setHeader("Content-Type", "text/plain")
                    .setBody(text);
        } catch (IllegalArgumentException e) {
            return status(400, "BadRequest", e.getMessage());
        }
    }

    /** The scale subresource: {@code autoscaling/v1} Scale over the paths the CRD's subresources.scale names. */
    private MockResponse scale(RecordedRequest request, byte[] bodyBytes, ResourcePath rp, ApiResource r) {
        Optional<JsonNode> crd = resources.crd(r);
        JsonNode scaleSpec = crd.map(c -> c.at("/spec/versions/0/subresources/scale"))
                .orElse(r.subresources().contains("scale") ? BUILT_IN_SCALE : null);
        if (scaleSpec == null || scaleSpec.isMissingNode()) {
            return status(404, "NotFound", r.plural() + " has no scale subresource in this sandbox");
        }
        MockResponse current = super.handleGet(rp.objectPath());
        if (current.code() != 200) {
            return current;
        }
        JsonNode object = read(current);
        ObjectNode scale = scaleOf(object, scaleSpec);
        String method = request.getMethod();
        if ("GET".equals(method)) {
            return json(200, scale);
        }
        JsonNode desired;
        try {
            JsonNode body = JSON.readTree(new String(bodyBytes, StandardCharsets.UTF_8));
            String type = String.valueOf(request.getHeader("Content-Type"));
            if ("PUT".equals(method)) {
                desired = body;
            } else if (type.startsWith("application/json-patch+json")) {
                desired = JsonPatch.apply(body, scale);
            } else {
                desired = mergePatch(scale.deepCopy(), body);
            }
        } catch (JsonProcessingException | RuntimeException e) {
            return status(400, "BadRequest", "cannot read the Scale: " + e.getMessage());
        }
        if (!desired.at("/spec/replicas").canConvertToInt() || desired.at("/spec/replicas").asInt() < 0) {
            return status(422, "Invalid", "Scale.autoscaling \"" + rp.name()
                    + "\" is invalid: spec.replicas: Invalid value: must be greater than or equal to 0");
        }
        ObjectNode patch = JSON.createObjectNode();
        ObjectNode at = patch;
        String[] specPath = scaleSpec.path("specReplicasPath").asText(".spec.replicas").substring(1).split("\\.");
        for (int i = 0; i < specPath.length - 1; i++) {
            at = at.putObject(specPath[i]);
        }
        at.put(specPath[specPath.length - 1], desired.at("/spec/replicas").asInt());
        Headers headers = Headers.builder().add("Content-Type", "application/merge-patch+json")
                .add("User-Agent", String.valueOf(request.getHeader("User-Agent"))).build();
        RecordedRequest patchRequest = new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, rp.objectPath(), headers,
                new Buffer(patch.toString().getBytes(StandardCharsets.UTF_8)));
        MockResponse patched = route(patchRequest);
        if (patched.code() != 200) {
            return patched;
        }
        return json(200, scaleOf(read(patched), scaleSpec));
    }

    private static ObjectNode scaleOf(JsonNode object, JsonNode scaleSpec) {
        ObjectNode scale = JSON.createObjectNode().put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode metadata = scale.putObject("metadata");
        for (String field : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (object.at("/metadata/" + field).isTextual()) {
                metadata.put(field, object.at("/metadata/" + field).asText());
            }
        }
        JsonNode spec = object.at(pointer(scaleSpec.path("specReplicasPath").asText(".spec.replicas")));
        scale.putObject("spec").put("replicas", spec.asInt(0));
        ObjectNode status = scale.putObject("status");
        status.put("replicas",
                object.at(pointer(scaleSpec.path("statusReplicasPath").asText(".status.replicas"))).asInt(0));
        if (!scaleSpec.has("labelSelectorPath") && object.at("/spec/selector/matchLabels").isObject()) {
            List<String> terms = new java.util.ArrayList<>();
            object.at("/spec/selector/matchLabels").fields()
                    .forEachRemaining(e -> terms.add(e.getKey() + "=" + e.getValue().asText()));
            status.put("selector", String.join(",", terms));
        }
        if (scaleSpec.has("labelSelectorPath")) {
            JsonNode selector = object.at(pointer(scaleSpec.get("labelSelectorPath").asText()));
            if (selector.isTextual()) {
                status.put("selector", selector.asText());
            }
        }
        return scale;
    }

    private static String pointer(String jsonPath) {
        return jsonPath.replace('.', '/');
    }

    private static String withoutQuery(String path, String key) {
        int q = path.indexOf('?');
        if (q < 0) {
            return path;
        }
        List<String> kept = new java.util.ArrayList<>();
        for (String pair : path.substring(q + 1).split("&")) {
            if (!pair.startsWith(key + "=")) {
                kept.add(pair);
            }
        }
        return path.substring(0, q) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
    }

    private static boolean accepts(RecordedRequest request, String fragment) {
        String accept = request.getHeader("Accept");
        return accept != null && accept.contains(fragment);
    }

    private static JsonNode read(MockResponse response) {
        try {
            return JSON.readTree(response.getBody().readUtf8());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the store answered something that is not JSON", e);
        }
    }

    private static MockResponse json(int code, JsonNode body) {
        return new MockResponse().setResponseCode(code).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }

    static MockResponse status(int code, String reason, String message) {
        ObjectNode status = JSON.createObjectNode().put("kind", "Status").put("apiVersion", "v1");
        status.putObject("metadata");
        status.put("status", "Failure").put("message", message).put("reason", reason).put("code", code);
        return json(code, status);
    }
}
