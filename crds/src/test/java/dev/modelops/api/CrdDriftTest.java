package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD YAML must be exactly what this build generates from the Java model. */
class CrdDriftTest {

    static final String REGENERATE = "./mvnw -pl crds -Pregenerate-crds process-classes";

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void committedCrdMatchesGenerated(String kind) throws IOException {
        String file = Manifests.crdFileName(kind);
        Path generated = Manifests.generatedCrdDir().resolve(file);
        Path committed = Manifests.committedCrdDir().resolve(file);
        assertThat(generated).as("the build generated %s", generated).exists();
        assertThat(committed)
                .as("crds/%s is missing; regenerate the committed CRDs with: %s", file, REGENERATE)
                .exists();
        assertThat(Files.readString(committed))
                .as("crds/%s differs from what the build generates from the Java model; regenerate it with: %s",
                        file, REGENERATE)
                .isEqualTo(Files.readString(generated));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void noStaleCrdFiles(String kind) throws IOException {
        try (Stream<Path> files = Files.list(Manifests.committedCrdDir())) {
            assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                    .as("committed CRD files; regenerate with: %s", REGENERATE)
                    .containsExactlyInAnyOrder(Manifests.crdFileName("ModelTraining"),
                            Manifests.crdFileName("ModelVersion"), Manifests.crdFileName("ModelDeployment"));
        }
    }
}
