package dev.modelops.sandbox.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class ApiPiecesTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pathsSplitIntoGroupVersionNamespaceResourceNameAndSubresource() {
        ResourcePath p = ResourcePath.parse("/apis/modelops.dev/v1alpha1/namespaces/ns/modeldeployments/iris/scale"
                + "?fieldManager=kubectl&fieldValidation=Strict").orElseThrow();
        assertThat(p).extracting(ResourcePath::group, ResourcePath::version, ResourcePath::namespace,
                ResourcePath::plural, ResourcePath::name, ResourcePath::subresource)
                .containsExactly("modelops.dev", "v1alpha1", "ns", "modeldeployments", "iris", "scale");
        assertThat(p.query()).containsEntry("fieldValidation", "Strict");
        assertThat(p.objectPath()).isEqualTo("/apis/modelops.dev/v1alpha1/namespaces/ns/modeldeployments/iris");

        ResourcePath core = ResourcePath.parse("/api/v1/pods?labelSelector=a%3Db").orElseThrow();
        assertThat(core.group()).isEmpty();
        assertThat(core.plural()).isEqualTo("pods");
        assertThat(core.namespace()).isNull();
        assertThat(core.query()).containsEntry("labelSelector", "a=b");

        ResourcePath namespace = ResourcePath.parse("/api/v1/namespaces/default").orElseThrow();
        assertThat(namespace.plural()).isEqualTo("namespaces");
        assertThat(namespace.name()).isEqualTo("default");
        assertThat(ResourcePath.parse("/version")).isEmpty();
    }

    @Test
    void fieldSelectorsCompareFieldsOfTheObject() throws Exception {
        JsonNode event = JSON.readTree("{\"involvedObject\":{\"name\":\"p\",\"kind\":\"Pod\"},\"type\":\"Normal\"}");
        assertThat(FieldSelector.matches("involvedObject.name=p,involvedObject.kind=Pod", event)).isTrue();
        assertThat(FieldSelector.matches("involvedObject.name==p,type!=Warning", event)).isTrue();
        assertThat(FieldSelector.matches("involvedObject.name=q", event)).isFalse();
        assertThat(FieldSelector.matches("involvedObject.uid=", event)).isTrue();
    }

    @Test
    void mergePatchReplacesListsAndRemovesNulls() throws Exception {
        JsonNode target = JSON.readTree("{\"a\":{\"b\":1,\"c\":2},\"l\":[1,2,3]}");
        JsonNode patch = JSON.readTree("{\"a\":{\"b\":null,\"d\":4},\"l\":[9]}");
        assertThat(SandboxDispatcher.mergePatch(target, patch))
                .isEqualTo(JSON.readTree("{\"a\":{\"c\":2,\"d\":4},\"l\":[9]}"));
    }

    @Test
    void agesReadLikeKubectls() {
        assertThat(Tables.human(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(Tables.human(Duration.ofSeconds(192))).isEqualTo("3m12s");
        assertThat(Tables.human(Duration.ofMinutes(17))).isEqualTo("17m");
        assertThat(Tables.human(Duration.ofMinutes(303))).isEqualTo("5h3m");
        assertThat(Tables.human(Duration.ofHours(50))).isEqualTo("2d");
    }

    @Test
    void anInvalidObjectIsAStatusWithOneCausePerField() {
        ApiResource r = new ApiResource("modelops.dev", "v1alpha1", "modeltrainings", "modeltraining",
                "ModelTraining", true, java.util.List.of(), java.util.List.of(), java.util.List.of());
        JsonNode status = Admission.invalid(r, "x", java.util.List.of("spec.workers: must be at least 1"));
        assertThat(status.path("code").asInt()).isEqualTo(422);
        assertThat(status.path("message").asText())
                .isEqualTo("ModelTraining.modelops.dev \"x\" is invalid: spec.workers: must be at least 1");
        assertThat(status.at("/details/causes/0/field").asText()).isEqualTo("spec.workers");
        assertThat(status.at("/details/causes/0/message").asText()).isEqualTo("must be at least 1");
    }
}
