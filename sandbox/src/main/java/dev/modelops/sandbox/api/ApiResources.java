package dev.modelops.sandbox.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The resources the embedded API server knows: the built-in kinds the operator, the kubelet and kubectl use, plus the
 * kinds of every installed CRD. Discovery, OpenAPI, Table responses and admission all read this one registry.
 */
public final class ApiResources {

    private final List<ApiResource> resources = new ArrayList<>();
    private final Map<String, JsonNode> crdsByKey = new LinkedHashMap<>();

    public ApiResources() {
        core("namespaces", "namespace", "Namespace", false, List.of("ns"), List.of(), List.of("status"));
        core("pods", "pod", "Pod", true, List.of("po"), List.of("all"), List.of("status", "log"));
        core("services", "service", "Service", true, List.of("svc"), List.of("all"), List.of("status"));
        core("endpoints", "endpoints", "Endpoints", true, List.of("ep"), List.of(), List.of());
        core("events", "event", "Event", true, List.of("ev"), List.of(), List.of());
        core("secrets", "secret", "Secret", true, List.of(), List.of(), List.of());
        core("configmaps", "configmap", "ConfigMap", true, List.of("cm"), List.of(), List.of());
        core("persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true, List.of("pvc"),
                List.of(), List.of("status"));
        core("serviceaccounts", "serviceaccount", "ServiceAccount", true, List.of("sa"), List.of(), List.of());
        core("nodes", "node", "Node", false, List.of("no"), List.of(), List.of("status"));
        add(new ApiResource("apps", "v1", "deployments", "deployment", "Deployment", true, List.of("deploy"),
                List.of("all"), List.of("status", "scale")));
        add(new ApiResource("apps", "v1", "replicasets", "replicaset", "ReplicaSet", true, List.of("rs"),
                List.of("all"), List.of("status", "scale")));
        add(new ApiResource("batch", "v1", "jobs", "job", "Job", true, List.of(), List.of("all"),
                List.of("status")));
        add(new ApiResource("discovery.k8s.io", "v1", "endpointslices", "endpointslice", "EndpointSlice", true,
                List.of(), List.of(), List.of()));
        add(new ApiResource("coordination.k8s.io", "v1", "leases", "lease", "Lease", true, List.of(), List.of(),
                List.of()));
        add(new ApiResource("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
                "HorizontalPodAutoscaler", true, List.of("hpa"), List.of("all"), List.of("status")));
        add(new ApiResource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                "CustomResourceDefinition", false, List.of("crd", "crds"), List.of(), List.of("status")));
    }

    private void core(String plural, String singular, String kind, boolean namespaced, List<String> shortNames,
            List<String> categories, List<String> subresources) {
        add(new ApiResource("", "v1", plural, singular, kind, namespaced, shortNames, categories, subresources));
    }

    private synchronized void add(ApiResource resource) {
        resources.add(resource);
    }

    /** Registers the served version of a CRD (the first one; the ModelOps CRDs have one version each). */
    public synchronized ApiResource addCrd(JsonNode crd) {
        JsonNode spec = crd.path("spec");
        JsonNode version = spec.path("versions").get(0);
        List<String> subresources = new ArrayList<>();
        version.path("subresources").fieldNames().forEachRemaining(subresources::add);
        ApiResource resource = new ApiResource(spec.path("group").asText(), version.path("name").asText(),
                spec.at("/names/plural").asText(), spec.at("/names/singular").asText(), spec.at("/names/kind").asText(),
                "Namespaced".equals(spec.path("scope").asText()), strings(spec.at("/names/shortNames")),
                strings(spec.at("/names/categories")), subresources);
        resources.removeIf(r -> r.group().equals(resource.group()) && r.plural().equals(resource.plural()));
        resources.add(resource);
        crdsByKey.put(resource.group() + "/" + resource.plural(), crd);
        return resource;
    }

    public synchronized List<ApiResource> all() {
        return List.copyOf(resources);
    }

    public synchronized Optional<ApiResource> find(String group, String version, String plural) {
        return resources.stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version) && r.plural().equals(plural))
                .findFirst();
    }

    /** The CRD that defines this resource, when it is a custom resource. */
    public synchronized Optional<JsonNode> crd(ApiResource resource) {
        return Optional.ofNullable(crdsByKey.get(resource.group() + "/" + resource.plural()));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }
}
