package dev.modelops.operator.rbac;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a service account may do, from rendered RBAC objects, decided as the API server's RBAC authorizer does: a rule
 * of a ClusterRole bound by a ClusterRoleBinding applies in every namespace and to cluster-scoped objects; a rule
 * bound by a RoleBinding applies in that binding's namespace only. Matching takes wildcards and resourceNames into
 * account; aggregation and impersonation are out of scope (the chart uses neither).
 */
public final class RbacPolicy {

    /** One rule as bound: {@code namespace} null when cluster-wide. {@code role} names it in messages. */
    public record Grant(String role, String namespace, List<String> apiGroups, List<String> resources,
            List<String> verbs, List<String> resourceNames, List<String> nonResourceURLs) {

        boolean allows(ApiAccess access) {
            if (!access.isResource()) {
                return namespace == null && matches(verbs, access.verb()) && nonResourceURLs.stream().anyMatch(
                        url -> url.equals(access.nonResourcePath()) || url.endsWith("*") && access.nonResourcePath()
                                .startsWith(url.substring(0, url.length() - 1)));
            }
            if (namespace != null && !namespace.equals(access.namespace())) {
                return false;
            }
            if (!matches(apiGroups, access.group()) || !matches(verbs, access.verb())) {
                return false;
            }
            boolean resourceMatches = resources.contains("*") || resources.contains(access.resource())
                    || access.resource().contains("/") && resources.contains("*/" + access.resource().substring(
                            access.resource().indexOf('/') + 1));
            if (!resourceMatches) {
                return false;
            }
            return resourceNames.isEmpty() || access.name() != null && resourceNames.contains(access.name());
        }

        private static boolean matches(List<String> allowed, String value) {
            return allowed.contains("*") || allowed.contains(value);
        }

        /** This grant without {@code verb} on {@code group}/{@code resource}: the rest of the rule, split. */
        List<Grant> without(String group, String resource, String verb) {
            List<Grant> rest = new ArrayList<>();
            for (String g : apiGroups) {
                for (String r : resources) {
                    List<String> kept = verbs.stream().filter(v -> !(g.equals(group) && r.equals(resource) && v
                            .equals(verb))).toList();
                    if (!kept.isEmpty()) {
                        rest.add(new Grant(role, namespace, List.of(g), List.of(r), kept, resourceNames,
                                nonResourceURLs));
                    }
                }
            }
            return rest;
        }
    }

    /** One verb on one resource, as granted in one scope. */
    public record Atom(String role, String namespace, String group, String resource, String verb) {
        @Override
        public String toString() {
            return verb + " " + (group.isEmpty() ? "" : group + "/") + resource + " (" + role + (namespace == null
                    ? ", cluster-wide)"
                    : " in " + namespace + ")");
        }
    }

    private final List<Grant> grants;

    public RbacPolicy(List<Grant> grants) {
        this.grants = List.copyOf(grants);
    }

    /**
     * The grants of {@code serviceAccount} in {@code saNamespace}: every Role and ClusterRole among {@code docs} that a
     * RoleBinding or ClusterRoleBinding among them binds to it.
     */
    public static RbacPolicy of(List<JsonNode> docs, String saNamespace, String serviceAccount) {
        Map<String, JsonNode> clusterRoles = byKind(docs, "ClusterRole", d -> d.at("/metadata/name").asText());
        Map<String, JsonNode> roles = byKind(docs, "Role", d -> d.at("/metadata/namespace").asText() + "/" + d.at(
                "/metadata/name").asText());
        List<Grant> grants = new ArrayList<>();
        for (JsonNode binding : docs) {
            String kind = binding.path("kind").asText();
            if (!kind.equals("RoleBinding") && !kind.equals("ClusterRoleBinding")) {
                continue;
            }
            boolean bound = StreamSupport.stream(binding.path("subjects").spliterator(), false)
                    .anyMatch(s -> "ServiceAccount"
                            .equals(s.path("kind").asText()) && serviceAccount.equals(s.path("name").asText())
                            && saNamespace.equals(s.path("namespace").asText()));
            if (!bound) {
                continue;
            }
            String namespace = kind.equals("RoleBinding") ? binding.at("/metadata/namespace").asText() : null;
            String refKind = binding.at("/roleRef/kind").asText();
            String refName = binding.at("/roleRef/name").asText();
            JsonNode role = refKind.equals("ClusterRole")
                    ? clusterRoles.get(refName)
                    : roles.get(namespace + "/"
                            + refName);
            if (role == null) {
                throw new IllegalStateException(kind + " " + binding.at("/metadata/name").asText() + " refers to "
                        + refKind + " " + refName + ", which the chart does not render");
            }
            String roleName = role.path("kind").asText() + " " + role.at("/metadata/name").asText();
            for (JsonNode rule : role.path("rules")) {
                grants.add(new Grant(roleName, namespace, strings(rule, "apiGroups"), strings(rule, "resources"),
                        strings(rule, "verbs"), strings(rule, "resourceNames"), strings(rule, "nonResourceURLs")));
            }
        }
        return new RbacPolicy(grants);
    }

    private static Map<String, JsonNode> byKind(List<JsonNode> docs, String kind, Function<JsonNode, String> key) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).collect(Collectors.toMap(key, d -> d));
    }

    private static List<String> strings(JsonNode rule, String field) {
        List<String> values = new ArrayList<>();
        rule.path(field).forEach(v -> values.add(v.asText()));
        return values;
    }

    /**
     * What every authenticated user may do in a cluster with Kubernetes' default roles (system:basic-user,
     * system:discovery, system:public-info-viewer): review its own access and read discovery documents.
     */
    public static RbacPolicy kubernetesDefaults() {
        return new RbacPolicy(List.of(
                new Grant("ClusterRole system:basic-user", null, List.of("authorization.k8s.io"), List.of(
                        "selfsubjectrulesreviews", "selfsubjectaccessreviews"), List.of("create"), List.of(),
                        List.of()),
                new Grant("ClusterRole system:discovery", null, List.of(), List.of(), List.of("get"), List.of(),
                        List.of("/api", "/api/*", "/apis", "/apis/*", "/openapi/*", "/version", "/version/",
                                "/healthz", "/livez", "/readyz"))));
    }

    public List<Grant> grants() {
        return grants;
    }

    public boolean allows(ApiAccess access) {
        return grants.stream().anyMatch(g -> g.allows(access));
    }

    /** The accesses of {@code needed} that neither this policy nor {@code also} allows. */
    public List<Need> gaps(Collection<Need> needed, RbacPolicy also) {
        return needed.stream().filter(n -> !allows(n.access()) && !also.allows(n.access())).toList();
    }

    /** Every verb on every resource this policy grants, one by one (wildcards are reported as they are). */
    public Set<Atom> atoms() {
        Set<Atom> atoms = new LinkedHashSet<>();
        for (Grant g : grants) {
            for (String group : g.apiGroups()) {
                for (String resource : g.resources()) {
                    for (String verb : g.verbs()) {
                        atoms.add(new Atom(g.role(), g.namespace(), group, resource, verb));
                    }
                }
            }
        }
        return atoms;
    }

    /** This policy with {@code atom} taken away and everything else kept. */
    public RbacPolicy without(Atom atom) {
        List<Grant> rest = new ArrayList<>();
        for (Grant g : grants) {
            boolean same = g.role().equals(atom.role()) && java.util.Objects.equals(g.namespace(), atom.namespace());
            rest.addAll(same ? g.without(atom.group(), atom.resource(), atom.verb()) : List.of(g));
        }
        return new RbacPolicy(rest);
    }

    /** An access the operator needs, and where the need was seen (a request, a rule of the API server). */
    public record Need(ApiAccess access, String why) {
        @Override
        public String toString() {
            return access + "  <- " + why;
        }
    }
}
