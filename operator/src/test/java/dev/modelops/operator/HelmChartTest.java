package dev.modelops.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;

/** The Helm chart lints, renders, and grants the operator what its controllers read and write. */
class HelmChartTest {

    private static final Path CHART = Path.of(System.getProperty("chart.dir", "../charts/modelops"));

    private static List<JsonNode> render(Map<String, Object> values) throws IOException {
        var template = new Helm(CHART).template().withName("mo").withNamespace("modelops-system");
        values.forEach(template::set);
        String yaml = template.call();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static JsonNode only(List<JsonNode> docs, String kind) {
        List<JsonNode> found = docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        assertThat(found).as("rendered %s", kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void chartLintsCleanly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("helm lint --strict: %s", result.getMessages()).isFalse();
    }

    @Test
    void deploymentRunsRestrictedWithProbesAndConfiguration() throws IOException {
        List<JsonNode> docs = render(Map.of("watchNamespaces", "ml-a,ml-b", "runtimeImage", "reg/rt:9"));
        JsonNode deployment = only(docs, "Deployment");
        JsonNode pod = deployment.at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/image").asText()).isEqualTo("ghcr.io/modelops-dev/modelops-operator:0.1.0");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/securityContext/seccompProfile/type").asText()).isEqualTo("RuntimeDefault");
        assertThat(container.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
        Map<String, String> env = new java.util.HashMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e.path("value").asText()));
        assertThat(env).containsEntry("WATCH_NAMESPACES", "ml-a,ml-b").containsEntry("MODELOPS_RUNTIME_IMAGE",
                "reg/rt:9");
        assertThat(deployment.at("/metadata/namespace").asText()).isEqualTo("modelops-system");
    }

    @Test
    void clusterRoleCoversEveryInformerAndWrite() throws IOException {
        JsonNode role = only(render(Map.of()), "ClusterRole");
        Set<String> grants = new java.util.HashSet<>();
        for (JsonNode rule : role.path("rules")) {
            for (JsonNode resource : rule.path("resources")) {
                for (JsonNode verb : rule.path("verbs")) {
                    grants.add(resource.asText() + ":" + verb.asText());
                }
            }
        }
        for (String resource : List.of("modeltrainings", "modelversions", "modeldeployments", "jobs", "pods",
                "services", "deployments", "horizontalpodautoscalers")) {
            assertThat(grants).as("informers need list and watch on " + resource)
                    .contains(resource + ":list", resource + ":watch");
        }
        assertThat(grants).contains("modeltrainings/status:patch", "modelversions/status:patch",
                "modelversions/status:update", "modelversions/finalizers:update", "modelversions:create",
                "jobs:create", "jobs:update", "jobs:delete", "services:create", "services:update", "services:delete",
                "deployments:create", "deployments:update", "deployments:delete", "horizontalpodautoscalers:create",
                "horizontalpodautoscalers:update", "horizontalpodautoscalers:delete", "modeldeployments/status:update",
                "modeltrainings/status:update", "events:create");
        assertThat(grants.stream().filter(g -> g.startsWith("secrets")).collect(Collectors.toList()))
                .as("the operator never reads credentials").isEmpty();
    }
}
