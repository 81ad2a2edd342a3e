package dev.modelops.operator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;

/**
 * The Helm chart rendered by the embedded Helm, as {@code helm template} would with a values file: lists and maps
 * reach the chart as the YAML a user writes, with no {@code --set} escaping in between.
 */
public final class Chart {

    public static final Path DIR = Path.of(System.getProperty("chart.dir", "../charts/modelops"));
    public static final String RELEASE = "mo";
    private static final YAMLMapper YAML = new YAMLMapper();

    private Chart() {
    }

    /** The rendered documents of release {@value #RELEASE} in {@code namespace}; Helm's error as an exception. */
    public static List<JsonNode> render(Path chart, String namespace, Map<String, ?> values) {
        try {
            Path file = Files.createTempFile("values-", ".yaml");
            try {
                YAML.writeValue(file.toFile(), values);
                String yaml = new Helm(chart).template().withName(RELEASE).withNamespace(namespace)
                        .withValuesFile(file).call();
                return documents(yaml);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<JsonNode> render(String namespace, Map<String, ?> values) {
        return render(DIR, namespace, values);
    }

    private static List<JsonNode> documents(String yaml) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    /** The documents of {@code kind}. */
    public static List<JsonNode> all(List<JsonNode> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }
}
