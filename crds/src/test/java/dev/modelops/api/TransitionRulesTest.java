package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelops.validation.CrdValidator;

/** The updates the immutability rules must let through (the corpus covers the ones they refuse). */
class TransitionRulesTest {

    private static JsonNode yaml(String text) throws IOException {
        return Manifests.STRICT.readTree(text);
    }

    private static final String TRAINING = """
            apiVersion: modelops.dev/v1alpha1
            kind: ModelTraining
            metadata:
              name: iris
            spec:
              model: iris
              trainer:
                image: trainer:1
              workers: 2
              queue: gpu
              output:
                uri: pvc://models/iris
            """;

    @Test
    void suspendingAndResumingATrainingIsAllowed() throws IOException {
        CrdValidator validator = Manifests.validator("ModelTraining");
        JsonNode created = yaml(TRAINING);
        ObjectNode suspended = created.deepCopy();
        ((ObjectNode) suspended.get("spec")).put("suspend", true);
        ObjectNode resumed = suspended.deepCopy();
        ((ObjectNode) resumed.get("spec")).put("suspend", false);

        assertThat(validator.validateUpdate(created, suspended)).isEmpty();
        assertThat(validator.validateUpdate(suspended, resumed)).isEmpty();
    }

    @Test
    void removingAnOptionalTrainingFieldIsRefused() throws IOException {
        CrdValidator validator = Manifests.validator("ModelTraining");
        JsonNode created = yaml(TRAINING);
        ObjectNode edited = created.deepCopy();
        ((ObjectNode) edited.get("spec")).remove("queue");

        assertThat(validator.validateUpdate(created, edited))
                .anyMatch(e -> e.contains("except spec.suspend"));
    }

    @Test
    void labelsAndStatusOfAVersionMayChangeButNotItsSpec() throws IOException {
        CrdValidator validator = Manifests.validator("ModelVersion");
        JsonNode created = yaml("""
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata:
                  name: iris-v1
                spec:
                  model: iris
                  version: 1
                  artifact:
                    uri: pvc://models/iris/v1/model.onnx
                """);
        ObjectNode relabelled = created.deepCopy();
        ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("stage", "prod");
        relabelled.putObject("status").put("phase", "Ready");
        assertThat(validator.validateUpdate(created, relabelled)).isEmpty();

        ObjectNode moved = created.deepCopy();
        ((ObjectNode) moved.at("/spec/artifact")).put("uri", "pvc://models/iris/v1/other.onnx");
        assertThat(validator.validateUpdate(created, moved)).containsExactly(
                "spec: Invalid value: \"object\": a ModelVersion is immutable: create a new version instead of editing spec");
    }
}
