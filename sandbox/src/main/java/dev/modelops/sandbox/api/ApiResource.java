package dev.modelops.sandbox.api;

import java.util.List;

/** One resource the embedded API server serves, as discovery describes it. */
public record ApiResource(
        String group,
        String version,
        String plural,
        String singular,
        String kind,
        boolean namespaced,
        List<String> shortNames,
        List<String> categories,
        List<String> subresources) {

    public String groupVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** The path prefix of this resource's group version: {@code /api/v1} or {@code /apis/<group>/<version>}. */
    public String basePath() {
        return group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version;
    }

    public String apiVersion() {
        return groupVersion();
    }
}
