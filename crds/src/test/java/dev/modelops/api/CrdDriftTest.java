package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed CRD YAML (in crds/ and in the Helm chart) must be exactly what this build generates. */
class CrdDriftTest {

    static final String REGENERATE = "./mvnw -pl crds -Pregenerate-crds process-test-classes";

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void committedCrdMatchesGenerated(String kind) throws IOException {
        assertMatchesGenerated(Manifests.committedCrdDir(), "crds", kind);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ModelTraining", "ModelVersion", "ModelDeployment"})
    void helmChartShipsTheGeneratedCrd(String kind) throws IOException {
        assertMatchesGenerated(Manifests.chartCrdDir(), "charts/modelops/crds", kind);
    }

    @Test
    void noStaleCrdFiles() throws IOException {
        for (Path dir : new Path[]{Manifests.committedCrdDir(), Manifests.chartCrdDir()}) {
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                        .as("CRD files in %s; regenerate with: %s", dir, REGENERATE)
                        .containsExactlyInAnyOrder(Manifests.crdFileName("ModelTraining"),
                                Manifests.crdFileName("ModelVersion"), Manifests.crdFileName("ModelDeployment"));
            }
        }
    }

    private static void assertMatchesGenerated(Path dir, String shownDir, String kind) throws IOException {
        String file = Manifests.crdFileName(kind);
        Path generated = Manifests.generatedCrdDir().resolve(file);
        Path committed = dir.resolve(file);
        assertThat(generated).as("the build generated %s", generated).exists();
        assertThat(committed).as("%s/%s is missing; regenerate the committed CRDs with: %s", shownDir, file,
                REGENERATE).exists();
        assertThat(Files.readString(committed))
                .as("%s/%s differs from what the build generates from the Java model; regenerate it with: %s",
                        shownDir, file, REGENERATE)
                .isEqualTo(Files.readString(generated));
    }
}
