package dev.modelops.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.version.ModelVersion;
import io.fabric8.kubernetes.client.CustomResource;
import dev.modelops.validation.CrdValidator;

/** Reading manifests and the committed CRDs in tests. */
final class Manifests {

    static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "ModelTraining", ModelTraining.class,
            "ModelVersion", ModelVersion.class,
            "ModelDeployment", ModelDeployment.class);

    /** Unknown fields are errors, as with kubectl's strict field validation. */
    static final ObjectMapper STRICT = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private Manifests() {
    }

    static Path committedCrdDir() {
        return Path.of(System.getProperty("crds.committed.dir", "."));
    }

    static Path chartCrdDir() {
        return Path.of(System.getProperty("crds.chart.dir", "../charts/modelops/crds"));
    }

    static Path generatedCrdDir() {
        return Path.of(System.getProperty("crds.generated.dir", "target/classes/META-INF/fabric8"));
    }

    static Path samplesDir() {
        return Path.of(System.getProperty("samples.dir", "../samples"));
    }

    static String crdFileName(String kind) {
        return kind.toLowerCase() + "s." + ModelOps.GROUP + "-v1.yml";
    }

    static CrdValidator validator(String kind) throws IOException {
        return CrdValidator.load(committedCrdDir().resolve(crdFileName(kind)));
    }

    static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = STRICT.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    documents.add(doc);
                }
            }
        }
        return documents;
    }
}
