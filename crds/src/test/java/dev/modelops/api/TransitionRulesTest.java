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
    void eachImmutableTrainingFieldIsRefusedOnItsOwn() throws IOException {
        CrdValidator validator = Manifests.validator("ModelTraining");
        JsonNode created = yaml(TRAINING);
        for (String[] change : new String[][]{{"/spec", "workers"}, {"/spec", "queue"}, {"/spec/trainer", "image"},
                {"/spec/output", "uri"}}) {
            ObjectNode edited = created.deepCopy();
            JsonNode old = edited.at(change[0]).get(change[1]);
            ObjectNode parent = (ObjectNode) edited.at(change[0]);
            if (old.isInt()) {
                parent.put(change[1], old.asInt() + 1);
            } else {
                parent.put(change[1], old.asText() + "x");
            }
            assertThat(validator.validateUpdate(created, edited)).as("changing %s/%s", change[0], change[1])
                    .anyMatch(e -> e.contains("except spec.suspend"));
        }
    }

    @Test
    void theTrainerEnvironmentIsLeftToTheOperatorButCannotAppearOrVanish() throws IOException {
        // trainer.env embeds Kubernetes' EnvVar (unbounded strings): no CEL rule reads it, the operator reports a
        // change; adding or removing it is still refused at admission by the presence rule.
        CrdValidator validator = Manifests.validator("ModelTraining");
        JsonNode created = yaml(TRAINING.replace("    image: trainer:1\n",
                "    image: trainer:1\n    env:\n    - {name: A, value: '1'}\n"));
        ObjectNode edited = created.deepCopy();
        ((ObjectNode) edited.at("/spec/trainer/env/0")).put("value", "2");
        assertThat(validator.validateUpdate(created, edited)).isEmpty();
        ObjectNode removed = created.deepCopy();
        ((ObjectNode) removed.at("/spec/trainer")).remove("env");
        assertThat(validator.validateUpdate(created, removed)).anyMatch(e -> e.contains("except spec.suspend"));
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
