package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/**
 * The Helm chart lints, renders every option where it belongs, and its schema turns bad values away. What its RBAC
 * grants is checked against the operator's requests in {@code rbac.RbacCoverageTest}.
 */
class HelmChartTest {

    private static final String NS = "modelops-system";

    private static List<JsonNode> render(Map<String, ?> values) {
        return Chart.render(NS, values);
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = Chart.all(docs, kind);
        assertThat(found).as("rendered %s", kind).hasSize(1);
        return found.get(0);
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> env = new HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        return env;
    }

    @Test
    void chartLintsCleanly() {
        LintResult result = new Helm(Chart.DIR).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void lintFailsWhenTheValuesFileHasABadValue(@TempDir Path copy) throws IOException {
        copyChart(copy);
        Path values = copy.resolve("values.yaml");
        Files.writeString(values, Files.readString(values).replace("replicas: 1", "replicas: one"));
        LintResult result = new Helm(copy).lint().strict().call();
        assertThat(result.isFailed()).isTrue();
        assertThat(String.join("\n", result.getMessages())).contains("replicas");
    }

    @Test
    void defaultsRunOneRestrictedOperatorClusterWide() {
        List<JsonNode> docs = render(Map.of());
        JsonNode deployment = only(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/modelops-dev/modelops-operator:0.1.0");
        assertThat(container.at("/imagePullPolicy").asText()).isEqualTo("IfNotPresent");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(1);
        assertThat(deployment.at("/spec/strategy/type").asText()).as("never two operators without a leader")
                .isEqualTo("Recreate");

        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/securityContext/capabilities/drop/0").asText()).isEqualTo("ALL");
        assertThat(container.at("/volumeMounts/0/mountPath").asText()).isEqualTo("/tmp");
        assertThat(pod.at("/volumes/0/emptyDir").isObject()).isTrue();

        assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/q/health/started");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        assertThat(container.at("/livenessProbe/httpGet/port").asText()).isEqualTo("management");
        assertThat(container.at("/ports/1/containerPort").asInt()).isEqualTo(8081);
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("512Mi");

        assertThat(env(container)).containsEntry("WATCH_NAMESPACES", "JOSDK_ALL_NAMESPACES")
                .containsEntry("MODELOPS_RUNTIME_IMAGE", "ghcr.io/modelops-dev/modelops-runtime:0.1.0")
                .containsEntry("MODELOPS_LEADER_ELECTION_ENABLED", "false")
                .containsEntry("MODELOPS_VALIDATION_TIMEOUT", "5m")
                .containsEntry("MODELOPS_VALIDATION_MAX_ATTEMPTS", "4")
                .containsEntry("QUARKUS_LOG_LEVEL", "INFO");
        assertThat(container.path("env").findValues("fieldPath")).extracting(JsonNode::asText)
                .containsExactly("metadata.namespace");

        only(docs, "ServiceAccount");
        only(docs, "ClusterRole");
        assertThat(only(docs, "ClusterRoleBinding").at("/subjects/0/namespace").asText()).isEqualTo(NS);
        assertThat(Chart.all(docs, "Role")).as("no Lease access without leader election").isEmpty();
        assertThat(Chart.all(docs, "ServiceMonitor")).isEmpty();
        assertThat(only(docs, "Service").at("/spec/ports/0/port").asInt()).isEqualTo(8081);
    }

    @Test
    void everyOptionRendersWhereItBelongs() {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("image", Map.of("repository", "registry.example.com/ml/operator", "tag", "1.2.3", "pullPolicy",
                "Always"));
        values.put("imagePullSecrets", List.of(Map.of("name", "regcred")));
        values.put("runtimeImage", Map.of("repository", "registry.example.com/ml/runtime", "tag", "1.2.4"));
        values.put("watchNamespaces", List.of("ml-a", "ml-b"));
        values.put("replicas", 3);
        values.put("leaderElection", Map.of("enabled", false));
        values.put("validation", Map.of("timeout", "10m", "maxAttempts", 6, "initialBackoff", "15s", "maxBackoff",
                "1h"));
        values.put("logLevel", "DEBUG");
        values.put("resources", Map.of("requests", Map.of("cpu", "250m", "memory", "300Mi"), "limits", Map.of(
                "cpu", 1, "memory", "1Gi")));
        values.put("serviceAccount", Map.of("create", true, "name", "ml-operator", "annotations", Map.of(
                "iam.example.com/role", "ml")));
        values.put("rbac", Map.of("create", true));
        values.put("serviceMonitor", Map.of("enabled", true, "interval", "15s", "labels", Map.of("release",
                "prometheus")));
        values.put("extraEnv", List.of(Map.of("name", "QUARKUS_LOG_CATEGORY__DEV_MODELOPS__LEVEL", "value",
                "TRACE")));
        values.put("podAnnotations", Map.of("example.com/team", "ml"));
        values.put("podLabels", Map.of("team", "ml"));
        values.put("priorityClassName", "system-cluster-critical");
        values.put("nodeSelector", Map.of("kubernetes.io/os", "linux"));
        values.put("tolerations", List.of(Map.of("key", "dedicated", "operator", "Equal", "value", "ml", "effect",
                "NoSchedule")));
        values.put("affinity", Map.of("podAntiAffinity", Map.of("preferredDuringSchedulingIgnoredDuringExecution",
                List.of(Map.of("weight", 100, "podAffinityTerm", Map.of("topologyKey", "kubernetes.io/hostname",
                        "labelSelector", Map.of("matchLabels", Map.of("app.kubernetes.io/name",
                                "modelops-operator"))))))));
        List<JsonNode> docs = render(values);

        JsonNode deployment = only(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/image").asText()).isEqualTo("registry.example.com/ml/operator:1.2.3");
        assertThat(container.at("/imagePullPolicy").asText()).isEqualTo("Always");
        assertThat(pod.at("/imagePullSecrets/0/name").asText()).isEqualTo("regcred");
        assertThat(deployment.at("/spec/replicas").asInt()).isEqualTo(3);
        assertThat(deployment.at("/spec/strategy").isMissingNode()).as("rolling updates with a leader").isTrue();
        assertThat(env(container)).containsEntry("MODELOPS_RUNTIME_IMAGE", "registry.example.com/ml/runtime:1.2.4")
                .containsEntry("WATCH_NAMESPACES", "ml-a,ml-b")
                .containsEntry("MODELOPS_LEADER_ELECTION_ENABLED", "true")
                .containsEntry("MODELOPS_LEADER_ELECTION_LEASE_NAME", "mo-operator")
                .containsEntry("MODELOPS_VALIDATION_TIMEOUT", "10m")
                .containsEntry("MODELOPS_VALIDATION_MAX_ATTEMPTS", "6")
                .containsEntry("MODELOPS_VALIDATION_INITIAL_BACKOFF", "15s")
                .containsEntry("MODELOPS_VALIDATION_MAX_BACKOFF", "1h")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
                .containsEntry("QUARKUS_LOG_CATEGORY__DEV_MODELOPS__LEVEL", "TRACE");
        assertThat(container.at("/resources/requests/cpu").asText()).isEqualTo("250m");
        assertThat(container.at("/resources/limits/memory").asText()).isEqualTo("1Gi");
        assertThat(pod.at("/serviceAccountName").asText()).isEqualTo("ml-operator");
        assertThat(deployment.at("/spec/template/metadata/annotations/example.com~1team").asText()).isEqualTo("ml");
        assertThat(deployment.at("/spec/template/metadata/labels/team").asText()).isEqualTo("ml");
        assertThat(deployment.at("/spec/selector/matchLabels").has("team")).as("the selector stays stable")
                .isFalse();
        assertThat(pod.at("/priorityClassName").asText()).isEqualTo("system-cluster-critical");
        assertThat(pod.at("/nodeSelector/kubernetes.io~1os").asText()).isEqualTo("linux");
        assertThat(pod.at("/tolerations/0/key").asText()).isEqualTo("dedicated");
        assertThat(pod.at("/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/0/weight")
                .asInt()).isEqualTo(100);

        JsonNode account = only(docs, "ServiceAccount");
        assertThat(account.at("/metadata/name").asText()).isEqualTo("ml-operator");
        assertThat(account.at("/metadata/annotations/iam.example.com~1role").asText()).isEqualTo("ml");

        // Watching two namespaces: a Role and a RoleBinding in each, no cluster-wide grant; the Lease's Role at home.
        assertThat(Chart.all(docs, "ClusterRole")).isEmpty();
        assertThat(Chart.all(docs, "ClusterRoleBinding")).isEmpty();
        List<JsonNode> roles = Chart.all(docs, "Role");
        assertThat(roles).extracting(r -> r.at("/metadata/namespace").asText() + "/" + r.at("/metadata/name")
                .asText()).containsExactlyInAnyOrder("ml-a/mo-operator", "ml-b/mo-operator",
                        NS + "/mo-operator-leader-election");
        assertThat(Chart.all(docs, "RoleBinding")).hasSize(3).allSatisfy(b -> {
            assertThat(b.at("/subjects/0/name").asText()).isEqualTo("ml-operator");
            assertThat(b.at("/subjects/0/namespace").asText()).isEqualTo(NS);
        });
        JsonNode clusterWideRules = only(render(Map.of()), "ClusterRole").path("rules");
        assertThat(roles.stream().filter(r -> r.at("/metadata/namespace").asText().startsWith("ml-")))
                .allSatisfy(r -> assertThat(r.path("rules")).as("the same rules as cluster-wide").isEqualTo(
                        clusterWideRules));
        JsonNode lease = roles.stream().filter(r -> r.at("/metadata/namespace").asText().equals(NS)).findFirst()
                .orElseThrow();
        assertThat(lease.at("/rules/0/resources/0").asText()).isEqualTo("leases");

        JsonNode monitor = only(docs, "ServiceMonitor");
        assertThat(monitor.at("/metadata/labels/release").asText()).isEqualTo("prometheus");
        assertThat(monitor.at("/spec/endpoints/0/interval").asText()).isEqualTo("15s");
        assertThat(monitor.at("/spec/endpoints/0/path").asText()).isEqualTo("/q/metrics");
    }

    @Test
    void leaderElectionCanBeAskedForWithOneReplica() {
        List<JsonNode> docs = render(Map.of("leaderElection", Map.of("enabled", true)));
        JsonNode deployment = only(docs, "Deployment");
        assertThat(env(deployment.at("/spec/template/spec/containers/0"))).containsEntry(
                "MODELOPS_LEADER_ELECTION_ENABLED", "true");
        assertThat(deployment.at("/spec/strategy").isMissingNode()).isTrue();
        assertThat(only(docs, "Role").at("/metadata/namespace").asText()).isEqualTo(NS);
        assertThat(only(docs, "RoleBinding").at("/roleRef/name").asText()).isEqualTo("mo-operator-leader-election");
    }

    @Test
    void withoutRbacAndServiceAccountOnlyTheOperatorIsInstalled() {
        List<JsonNode> docs = render(Map.of("rbac", Map.of("create", false), "replicas", 2, "serviceAccount", Map
                .of("create", false, "name", "")));
        assertThat(docs).extracting(d -> d.path("kind").asText()).containsExactlyInAnyOrder("Deployment",
                "Service");
        assertThat(only(docs, "Deployment").at("/spec/template/spec/serviceAccountName").asText()).isEqualTo(
                "default");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                Arguments.of("an unknown top-level key", Map.of("replica", 2), "replica"),
                Arguments.of("a misspelt nested key", Map.of("image", Map.of("tga", "1.0")), "tga"),
                Arguments.of("a string for a number", Map.of("replicas", "two"), "replicas"),
                Arguments.of("a negative replica count", Map.of("replicas", -1), "replicas"),
                Arguments.of("an unknown pull policy", Map.of("image", Map.of("pullPolicy", "Sometimes")),
                        "pullPolicy"),
                Arguments.of("a tag in the repository", Map.of("runtimeImage", Map.of("repository",
                        "ghcr.io/x/runtime:1.0")), "repository"),
                Arguments.of("an unknown log level", Map.of("logLevel", "LOUD"), "logLevel"),
                Arguments.of("a comma-separated string of namespaces", Map.of("watchNamespaces", "ml-a,ml-b"),
                        "watchNamespaces"),
                Arguments.of("an invalid namespace name", Map.of("watchNamespaces", List.of("ML_A")),
                        "watchNamespaces"),
                Arguments.of("a duration without a number", Map.of("validation", Map.of("timeout", "five minutes")),
                        "timeout"),
                Arguments.of("no validation attempt", Map.of("validation", Map.of("maxAttempts", 0)),
                        "maxAttempts"),
                Arguments.of("a string for a boolean", Map.of("leaderElection", Map.of("enabled", "yes")),
                        "enabled"),
                Arguments.of("a missing required block", nulled("rbac"), "rbac"),
                Arguments.of("a bad resource quantity", Map.of("resources", Map.of("limits", Map.of("memory",
                        "lots"))), "memory"),
                Arguments.of("an environment variable without a name", Map.of("extraEnv", List.of(Map.of("value",
                        "x"))), "name"),
                Arguments.of("an unknown toleration operator", Map.of("tolerations", List.of(Map.of("key", "a",
                        "operator", "Maybe"))), "operator"),
                Arguments.of("a node selector that is a list", Map.of("nodeSelector", List.of("linux")),
                        "nodeSelector"));
    }

    /** {@code key: null} in a values file removes the chart's default, as it would for a user. */
    private static Map<String, Object> nulled(String key) {
        Map<String, Object> values = new HashMap<>();
        values.put(key, null);
        return values;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void theSchemaRejects(String what, Map<String, Object> values, String named) {
        assertThatThrownBy(() -> render(values)).as(what).hasMessageContaining("schema").hasMessageContaining(
                named);
    }

    private static void copyChart(Path target) throws IOException {
        try (Stream<Path> files = Files.walk(Chart.DIR)) {
            for (Path source : files.toList()) {
                Path copy = target.resolve(Chart.DIR.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(copy);
                } else {
                    Files.copy(source, copy);
                }
            }
        }
        // The copy must be a chart Helm accepts as it is before the bad value goes in.
        assertThat(new YAMLMapper().readTree(target.resolve("Chart.yaml").toFile()).path("name").asText())
                .isEqualTo("modelops");
    }
}
