package dev.modelops.sandbox.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The discovery documents kubectl reads before anything else: {@code /api}, {@code /apis} and each group version. */
final class Discovery {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> VERBS = List.of("create", "delete", "deletecollection", "get", "list", "patch",
            "update", "watch");

    private final ApiResources resources;

    Discovery(ApiResources resources) {
        this.resources = resources;
    }

    ObjectNode coreVersions(String serverAddress) {
        ObjectNode root = JSON.createObjectNode().put("kind", "APIVersions");
        root.putArray("versions").add("v1");
        root.putArray("serverAddressByClientCIDRs").addObject().put("clientCIDR", "0.0.0.0/0")
                .put("serverAddress", serverAddress);
        return root;
    }

    ObjectNode groups() {
        ObjectNode root = JSON.createObjectNode().put("kind", "APIGroupList").put("apiVersion", "v1");
        ArrayNode groups = root.putArray("groups");
        Map<String, String> versionByGroup = new LinkedHashMap<>();
        resources.all().stream().filter(r -> !r.group().isEmpty())
                .forEach(r -> versionByGroup.putIfAbsent(r.group(), r.version()));
        versionByGroup.forEach((group, version) -> {
            ObjectNode g = groups.addObject().put("name", group);
            ObjectNode gv = JSON.createObjectNode().put("groupVersion", group + "/" + version).put("version", version);
            g.putArray("versions").add(gv);
            g.set("preferredVersion", gv.deepCopy());
        });
        return root;
    }

    /** The resource list of one group version, or null when the server does not serve it. */
    ObjectNode groupVersion(String group, String version) {
        List<ApiResource> list = resources.all().stream()
                .filter(r -> r.group().equals(group) && r.version().equals(version))
                .collect(Collectors.toList());
        if (list.isEmpty()) {
            return null;
        }
        ObjectNode root = JSON.createObjectNode().put("kind", "APIResourceList").put("apiVersion", "v1")
                .put("groupVersion", group.isEmpty() ? version : group + "/" + version);
        ArrayNode array = root.putArray("resources");
        for (ApiResource r : list) {
            ObjectNode node = array.addObject().put("name", r.plural()).put("singularName", r.singular())
                    .put("namespaced", r.namespaced()).put("kind", r.kind());
            ArrayNode verbs = node.putArray("verbs");
            VERBS.forEach(verbs::add);
            if (!r.shortNames().isEmpty()) {
                ArrayNode shortNames = node.putArray("shortNames");
                r.shortNames().forEach(shortNames::add);
            }
            if (!r.categories().isEmpty()) {
                ArrayNode categories = node.putArray("categories");
                r.categories().forEach(categories::add);
            }
            for (String sub : r.subresources()) {
                ObjectNode s = array.addObject().put("name", r.plural() + "/" + sub).put("singularName", "")
                        .put("namespaced", r.namespaced());
                switch (sub) {
                    case "scale" -> s.put("group", "autoscaling").put("version", "v1").put("kind", "Scale")
                            .set("verbs", JSON.createArrayNode().add("get").add("patch").add("update"));
                    case "log" -> s.put("kind", "Pod").set("verbs", JSON.createArrayNode().add("get"));
                    default -> s.put("kind", r.kind())
                            .set("verbs", JSON.createArrayNode().add("get").add("patch").add("update"));
                }
            }
        }
        return root;
    }
}
