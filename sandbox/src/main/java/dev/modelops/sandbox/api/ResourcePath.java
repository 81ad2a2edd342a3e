package dev.modelops.sandbox.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request path of the Kubernetes REST API split into its parts:
 * {@code /apis/<group>/<version>[/namespaces/<ns>]/<plural>[/<name>[/<subresource>]]}, {@code /api/v1/...} for the
 * core group.
 */
public record ResourcePath(
        String group,
        String version,
        String namespace,
        String plural,
        String name,
        String subresource,
        Map<String, String> query) {

    public static Optional<ResourcePath> parse(String rawPath) {
        String path = rawPath;
        Map<String, String> query = new LinkedHashMap<>();
        int q = rawPath.indexOf('?');
        if (q >= 0) {
            path = rawPath.substring(0, q);
            for (String pair : rawPath.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                query.put(key, eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        String[] parts = path.replaceAll("^/+|/+$", "").split("/");
        int i;
        String group;
        String version;
        if (parts.length >= 3 && parts[0].equals("api")) {
            group = "";
            version = parts[1];
            i = 2;
        } else if (parts.length >= 4 && parts[0].equals("apis")) {
            group = parts[1];
            version = parts[2];
            i = 3;
        } else {
            return Optional.empty();
        }
        String namespace = null;
        int rest = parts.length - i;
        if (rest >= 3 && parts[i].equals("namespaces")) {
            namespace = parts[i + 1];
            i += 2;
            rest -= 2;
        }
        String plural = parts[i];
        String name = rest >= 2 ? parts[i + 1] : null;
        String subresource = rest >= 3 ? parts[i + 2] : null;
        if (rest > 3) {
            return Optional.empty();
        }
        return Optional.of(new ResourcePath(group, version, namespace, plural, name, subresource, query));
    }

    /** The path of the object itself (no subresource, no query). */
    public String objectPath() {
        StringBuilder sb = new StringBuilder(group.isEmpty() ? "/api/" + version : "/apis/" + group + "/" + version);
        if (namespace != null) {
            sb.append("/namespaces/").append(namespace);
        }
        sb.append('/').append(plural);
        if (name != null) {
            sb.append('/').append(name);
        }
        return sb.toString();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
