package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Every sample a user starts from parses strictly, passes the CRD's schema and rules, and round-trips. */
class SamplesTest {

    static Stream<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Manifests.samplesDir())) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleIsValid(Path sample) throws IOException {
        List<JsonNode> documents = Manifests.documents(sample);
        assertThat(documents).as("documents in %s", sample).isNotEmpty();
        for (JsonNode doc : documents) {
            if (!doc.path("apiVersion").asText().startsWith(ModelOps.GROUP + "/")) {
                continue;
            }
            String kind = doc.path("kind").asText();
            assertThat(Manifests.KINDS).as("kind %s in %s", kind, sample).containsKey(kind);

            // Strict parse into the Java model: an unknown or misspelt field fails here.
            Object typed = Manifests.STRICT.treeToValue(doc, Manifests.KINDS.get(kind));

            assertThat(Manifests.validator(kind).validateCreate(doc)).as("%s in %s", kind, sample).isEmpty();

            // Round trip: the model neither drops nor invents anything, and a second pass is identical.
            String once = Manifests.STRICT.writeValueAsString(typed);
            assertThat(Manifests.STRICT.readTree(once)).as("%s round-trips through the Java model", sample)
                    .isEqualTo(Manifests.STRICT.readTree(Manifests.STRICT.writeValueAsString(doc)));
            String twice = Manifests.STRICT.writeValueAsString(
                    Manifests.STRICT.readValue(once, Manifests.KINDS.get(kind)));
            assertThat(twice).isEqualTo(once);
        }
    }

    @Test
    void samplesCoverEveryKind() throws IOException {
        Set<String> kinds = new HashSet<>();
        List<Path> files = new ArrayList<>(samples().toList());
        for (Path file : files) {
            Manifests.documents(file).forEach(d -> kinds.add(d.path("kind").asText()));
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(5);
        assertThat(kinds).contains("ModelTraining", "ModelVersion", "ModelDeployment");
    }
}
