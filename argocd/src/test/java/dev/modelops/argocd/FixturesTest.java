package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.argocd.Customizations.ActionTest;
import dev.modelops.argocd.Customizations.Kind;
import dev.modelops.validation.CrdValidator;
import io.fabric8.kubernetes.client.CustomResource;

/**
 * The fixtures are objects the API server would hold: each one reads strictly into its Java API class (a field the
 * API does not have fails here, so a fixture cannot drift from the API) and passes the committed CRD's schema and
 * rules. An action's expected output is its input with the modelops.dev/action request added, and nothing else.
 */
class FixturesTest {

    static final Map<String, Class<? extends CustomResource<?, ?>>> KINDS = Map.of(
            "ModelDeployment", ModelDeployment.class,
            "ModelTraining", ModelTraining.class,
            "ModelVersion", ModelVersion.class);

    static final ObjectMapper STRICT = Customizations.YAML.copy()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY);

    private final Map<String, CrdValidator> validators = new HashMap<>();

    @TestFactory
    Stream<DynamicTest> everyFixtureIsAnObjectOfTheApi() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Kind kind : Customizations.kinds()) {
            for (Path fixture : LuaCustomizationsTest.fixtures(kind)) {
                tests.add(dynamicTest(kind.dir().getParent().getParent().relativize(fixture).toString(), () -> {
                    JsonNode object = STRICT.readTree(fixture.toFile());
                    assertThat(object.path("apiVersion").asText()).isEqualTo(ModelOps.API_VERSION);
                    assertThat(object.path("kind").asText()).as("the Kind of a fixture under %s", kind.name())
                            .isEqualTo(kind.name());
                    Object typed = STRICT.treeToValue(object, KINDS.get(kind.name()));
                    assertThat(typed).isNotNull();
                    assertThat(validator(kind.name()).validateCreate(object)).as("CRD schema and rules").isEmpty();
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> actionsOnlyAddTheirRequest() {
        Kind deployment = LuaCustomizationsTest.kind("ModelDeployment");
        return deployment.actionTests().actionTests().stream().filter(t -> t.expectedOutputPath() != null)
                .map(test -> dynamicTest("ModelDeployment/actions/" + test.action() + "/" + test.inputPath(),
                        () -> onlyRequest(deployment,
                                test)));
    }

    private void onlyRequest(Kind kind, ActionTest test) throws IOException {
        JsonNode input = STRICT.readTree(kind.actionsDir().resolve(test.inputPath()).toFile());
        JsonNode output = STRICT.readTree(kind.actionsDir().resolve(test.expectedOutputPath()).toFile());
        assertThat(output.at("/metadata/annotations").path(ModelOps.ANNOTATION_ACTION).asText())
                .as("the request %s sets", test.action()).isEqualTo(test.action());
        ObjectNode withoutRequest = output.deepCopy();
        ObjectNode annotations = (ObjectNode) withoutRequest.at("/metadata/annotations");
        JsonNode before = input.at("/metadata/annotations").path(ModelOps.ANNOTATION_ACTION);
        if (before.isMissingNode()) {
            annotations.remove(ModelOps.ANNOTATION_ACTION);
        } else {
            annotations.set(ModelOps.ANNOTATION_ACTION, before);
        }
        if (annotations.isEmpty() && input.at("/metadata/annotations").isMissingNode()) {
            ((ObjectNode) withoutRequest.get("metadata")).remove("annotations");
        }
        assertThat(withoutRequest).as("%s output without the request", test.action()).isEqualTo(input);
        assertThat(validator(kind.name()).validateUpdate(input, output)).as("an update the API server accepts")
                .isEmpty();
    }

    private CrdValidator validator(String kind) throws IOException {
        CrdValidator validator = validators.get(kind);
        if (validator == null) {
            validator = CrdValidator.load(repoDir().resolve("crds").resolve(kind.toLowerCase() + "s."
                    + ModelOps.GROUP + "-v1.yml"));
            validators.put(kind, validator);
        }
        return validator;
    }

    static Path repoDir() {
        return Path.of(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
    }
}
