package dev.modelops.argocd;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The customizations as Argo CD lays them out: {@code resource_customizations/<group>/<Kind>/} with
 * {@code health.lua}, {@code health_test.yaml} and {@code testdata/}, and for a Kind with actions
 * {@code actions/discovery.lua}, {@code actions/<name>/action.lua}, {@code actions/action_test.yaml} and
 * {@code actions/testdata/}.
 */
final class Customizations {

    static final String GROUP = "modelops.dev";
    static final String HEALTH = "health.lua";
    static final String HEALTH_TESTS = "health_test.yaml";
    static final String ACTIONS = "actions";
    static final String DISCOVERY = "discovery.lua";
    static final String ACTION = "action.lua";
    static final String ACTION_TESTS = "action_test.yaml";

    /** Test files and fixtures are read strictly: a misspelt field fails instead of being ignored. */
    static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** health_test.yaml */
    record HealthTests(List<HealthTest> tests) {
    }

    record HealthTest(ArgoLua.HealthStatus healthStatus, String inputPath) {
    }

    /** action_test.yaml */
    record ActionTests(List<DiscoveryTest> discoveryTests, List<ActionTest> actionTests) {
    }

    record DiscoveryTest(String inputPath, List<ExpectedAction> result) {
    }

    /** As Argo CD's ResourceAction in a test file: a missing field is its zero value. */
    record ExpectedAction(String name, Boolean disabled, String iconClass, String displayName) {

        ArgoLua.ResourceAction toAction() {
            return new ArgoLua.ResourceAction(name, Boolean.TRUE.equals(disabled), iconClass == null ? "" : iconClass,
                    displayName == null ? "" : displayName);
        }
    }

    record ActionTest(String action, String inputPath, String expectedOutputPath, String expectedErrorMessage,
            Map<String, String> parameters) {
    }

    /** One Kind's directory. */
    record Kind(String group, String name, Path dir) {

        String key() {
            return group + "_" + name;
        }

        Path health() {
            return dir.resolve(HEALTH);
        }

        Path actionsDir() {
            return dir.resolve(ACTIONS);
        }

        boolean hasActions() {
            return Files.isRegularFile(actionsDir().resolve(DISCOVERY));
        }

        /** The action names, one per {@code actions/<name>/action.lua}, sorted. */
        List<String> actionNames() {
            if (!Files.isDirectory(actionsDir())) {
                return List.of();
            }
            try (Stream<Path> entries = Files.list(actionsDir())) {
                return entries.filter(p -> Files.isRegularFile(p.resolve(ACTION)))
                        .map(p -> p.getFileName().toString()).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        Path action(String name) {
            return actionsDir().resolve(name).resolve(ACTION);
        }

        HealthTests healthTests() {
            return read(dir.resolve(HEALTH_TESTS), HealthTests.class);
        }

        ActionTests actionTests() {
            return read(actionsDir().resolve(ACTION_TESTS), ActionTests.class);
        }
    }

    private Customizations() {
    }

    /** argocd/ in the repository; Maven passes it, an IDE run from the module directory finds it. */
    static Path argocdDir() {
        return Path.of(System.getProperty("argocd.dir", ".")).toAbsolutePath().normalize();
    }

    static Path root() {
        return argocdDir().resolve("resource_customizations");
    }

    /** Every Kind directory under the group, sorted by name. */
    static List<Kind> kinds(Path root) {
        Path group = root.resolve(GROUP);
        try (Stream<Path> entries = Files.list(group)) {
            return entries.filter(Files::isDirectory).sorted()
                    .map(p -> new Kind(GROUP, p.getFileName().toString(), p)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Kind> kinds() {
        return kinds(root());
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode object(Path file) {
        return read(file, JsonNode.class);
    }

    static <T> T read(Path file, Class<T> type) {
        try {
            return YAML.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }
}
