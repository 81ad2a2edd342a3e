package dev.modelops.operator.rbac;

import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * One request to the API server in RBAC's terms: verb, API group, resource (with its subresource, as in
 * {@code pods/log}), namespace ({@code null}: cluster-wide or cluster-scoped) and object name; or a non-resource path
 * ({@code /version}). Built from the method and path as the API server's request-info resolver does.
 */
public record ApiAccess(String verb, String group, String resource, String namespace, String name,
        String nonResourcePath) {

    /** Resources without a namespace; every other one is namespaced. */
    private static final Set<String> CLUSTER_SCOPED = Set.of("namespaces", "nodes", "persistentvolumes",
            "customresourcedefinitions", "clusterroles", "clusterrolebindings", "storageclasses", "priorityclasses",
            "selfsubjectrulesreviews", "selfsubjectaccessreviews", "selfsubjectreviews", "tokenreviews",
            "subjectaccessreviews", "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
            "apiservices", "ingressclasses", "runtimeclasses", "csidrivers", "csinodes", "volumeattachments",
            "certificatesigningrequests", "flowschemas", "prioritylevelconfigurations");

    public static ApiAccess resource(String verb, String group, String resource, String namespace, String name) {
        return new ApiAccess(verb, group, resource, namespace, name, null);
    }

    public boolean isResource() {
        return nonResourcePath == null;
    }

    /** The resource without its subresource. */
    public String baseResource() {
        int slash = resource.indexOf('/');
        return slash < 0 ? resource : resource.substring(0, slash);
    }

    public boolean namespaced() {
        return !CLUSTER_SCOPED.contains(baseResource());
    }

    /** The same access made in {@code ns}: what a watch of every namespace becomes when the operator watches one. */
    public ApiAccess in(String ns) {
        return new ApiAccess(verb, group, resource, ns, name, nonResourcePath);
    }

    /**
     * Parses {@code /api/v1/namespaces/ns/pods/name/log?x=y} and {@code /apis/group/version/...} with the HTTP method
     * into the verb RBAC checks: get, list, watch, create, update, patch, delete, deletecollection.
     */
    public static ApiAccess of(String method, String pathAndQuery) {
        URI uri = URI.create(pathAndQuery);
        String path = uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
        List<String> segments = Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toList();
        String group;
        List<String> rest;
        if (segments.size() >= 2 && segments.get(0).equals("api")) {
            group = "";
            rest = segments.subList(2, segments.size());
        } else if (segments.size() >= 3 && segments.get(0).equals("apis")) {
            group = segments.get(1);
            rest = segments.subList(3, segments.size());
        } else {
            return new ApiAccess(method.toLowerCase(java.util.Locale.ROOT), null, null, null, null, path);
        }
        if (rest.isEmpty()) {
            // Discovery of a group version: /api/v1, /apis/apps/v1.
            return new ApiAccess(method.toLowerCase(java.util.Locale.ROOT), null, null, null, null, path);
        }
        String namespace = null;
        if (rest.get(0).equals("namespaces") && rest.size() >= 3) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        String resource = rest.get(0);
        String name = rest.size() >= 2 ? rest.get(1) : null;
        if (rest.size() >= 3) {
            resource = resource + "/" + String.join("/", rest.subList(2, rest.size()));
        }
        boolean watch = Arrays.stream(query.split("&")).anyMatch(p -> p.equals("watch=true") || p.equals("watch=1"));
        String verb = switch (method.toUpperCase(java.util.Locale.ROOT)) {
            case "GET", "HEAD" -> watch ? "watch" : name == null ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> name == null ? "deletecollection" : "delete";
            default -> throw new IllegalArgumentException("no RBAC verb for " + method + " " + pathAndQuery);
        };
        return new ApiAccess(verb, group, resource, namespace, name, null);
    }

    @Override
    public String toString() {
        if (!isResource()) {
            return verb + " " + nonResourcePath;
        }
        return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + (namespace == null
                ? " (all namespaces)"
                : " in " + namespace) + (name == null ? "" : " " + name);
    }
}
