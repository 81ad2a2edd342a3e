package dev.modelops.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelops.validation.CrdValidator;

/**
 * A corpus of manifests the API server must refuse, each for its own reason. A file's first line says what the user
 * should read: {@code # expect: <part of the error>}. A file with two documents is an update: the first is the stored
 * object, the second the new one, and the first must itself be valid.
 */
class InvalidManifestsTest {

    static Stream<Path> corpus() throws IOException, URISyntaxException {
        Path dir = Path.of(InvalidManifestsTest.class.getResource("/invalid").toURI());
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("corpus")
    void rejectedForItsReason(Path file) throws IOException {
        String firstLine = Files.readAllLines(file).get(0);
        assertThat(firstLine).as("%s starts with '# expect: ...'", file.getFileName()).startsWith("# expect: ");
        String expected = firstLine.substring("# expect: ".length()).trim();

        List<JsonNode> docs = Manifests.documents(file);
        CrdValidator validator = Manifests.validator(docs.get(0).path("kind").asText());
        List<String> errors;
        if (docs.size() == 2) {
            assertThat(validator.validateCreate(docs.get(0))).as("the stored object in %s is valid", file).isEmpty();
            errors = validator.validateUpdate(docs.get(0), docs.get(1));
        } else {
            errors = validator.validateCreate(docs.get(0));
        }
        assertThat(errors).as("errors for %s", file.getFileName()).isNotEmpty();
        assertThat(errors).as("errors for %s", file.getFileName()).anyMatch(e -> e.contains(expected));
    }
}
