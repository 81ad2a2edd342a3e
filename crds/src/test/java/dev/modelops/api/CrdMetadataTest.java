package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** What kubectl relies on: names, category, subresources and printer columns. */
class CrdMetadataTest {

    private static JsonNode crd(String kind) throws IOException {
        return Manifests.STRICT.readTree(Files.readString(
                Manifests.committedCrdDir().resolve(Manifests.crdFileName(kind))));
    }

    private static List<String> columns(JsonNode crd) {
        List<String> names = new ArrayList<>();
        crd.at("/spec/versions/0/additionalPrinterColumns").forEach(c -> names.add(c.get("name").asText() + "="
                + c.get("jsonPath").asText()));
        return names;
    }

    @Test
    void modelTraining() throws IOException {
        JsonNode crd = crd("ModelTraining");
        assertThat(crd.at("/spec/group").asText()).isEqualTo("modelops.dev");
        assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("mt");
        assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("modelops");
        assertThat(crd.at("/spec/versions/0/name").asText()).isEqualTo("v1alpha1");
        assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        assertThat(crd.at("/spec/versions/0/subresources/scale").isMissingNode()).isTrue();
        assertThat(columns(crd)).containsExactly("Model=.spec.model", "Workers=.spec.workers", "Phase=.status.phase",
                "Version=.status.modelVersion", "Age=.metadata.creationTimestamp");
    }

    @Test
    void modelVersion() throws IOException {
        JsonNode crd = crd("ModelVersion");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("mv");
        assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("modelops");
        assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        assertThat(columns(crd)).containsExactly("Model=.spec.model", "Version=.spec.version", "Phase=.status.phase",
                "Accuracy=.spec.metrics.accuracy", "Age=.metadata.creationTimestamp");
    }

    @Test
    void modelDeploymentHasScaleSubresourceForTheAutoscaler() throws IOException {
        JsonNode crd = crd("ModelDeployment");
        assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("md");
        assertThat(crd.at("/spec/names/categories/0").asText()).isEqualTo("modelops");
        JsonNode scale = crd.at("/spec/versions/0/subresources/scale");
        assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.replicas");
        assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.replicas");
        assertThat(scale.path("labelSelectorPath").asText()).isEqualTo(".status.selector");
        assertThat(crd.at("/spec/versions/0/subresources/status").isObject()).isTrue();
        assertThat(columns(crd)).containsExactly("Model=.spec.model", "Stable=.status.stable.version",
                "Canary=.status.canary.version", "Weight=.status.canary.weight", "Phase=.status.phase",
                "Ready=.status.readyReplicas", "Message=.status.message", "URL=.status.url",
                "Age=.metadata.creationTimestamp");
    }

    @Test
    void everyFieldOfOurOwnTypesIsDescribedForKubectlExplain() throws IOException {
        List<String> undescribed = new ArrayList<>();
        for (String kind : Manifests.KINDS.keySet()) {
            JsonNode schema = crd(kind).at("/spec/versions/0/schema/openAPIV3Schema/properties");
            collectUndescribed(schema.get("spec"), kind + ".spec", undescribed);
            collectUndescribed(schema.get("status"), kind + ".status", undescribed);
        }
        assertThat(undescribed).as("fields without a description").isEmpty();
    }

    /** Embedded Kubernetes types (EnvVar, Toleration, Volume...) carry no descriptions; stop at them. */
    private static void collectUndescribed(JsonNode schema, String path, List<String> out) {
        JsonNode properties = schema.path("properties");
        properties.fields().forEachRemaining(e -> {
            JsonNode child = e.getValue();
            String childPath = path + "." + e.getKey();
            if (!child.hasNonNull("description")) {
                out.add(childPath);
                return;
            }
            if (isEmbeddedKubernetesType(e.getKey())) {
                return;
            }
            collectUndescribed(child.has("items") ? child.get("items") : child, childPath, out);
        });
    }

    private static boolean isEmbeddedKubernetesType(String field) {
        return List.of("env", "resources", "tolerations", "affinity", "volumes", "volumeMounts", "imagePullSecrets",
                "conditions").contains(field);
    }
}
