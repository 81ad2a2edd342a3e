package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.argocd.Customizations.Kind;

/**
 * The committed argocd-cm snippet is what the build generates from the .lua files, and read as Argo CD reads it,
 * every script in it is exactly the file it came from.
 */
class ArgocdCmTest {

    static Path committed() {
        return Customizations.argocdDir().resolve("argocd-cm.yaml");
    }

    static Path generated() {
        return Path.of(System.getProperty("argocd.generated.dir", "target/generated-argocd")).resolve(
                "argocd-cm.yaml");
    }

    @Test
    void committedSnippetIsWhatTheBuildGenerates() throws IOException {
        assertThat(generated()).as("the build generated %s", generated()).exists();
        assertThat(committed()).as("argocd/argocd-cm.yaml is missing; generate it with: %s",
                ArgocdCmGenerator.REGENERATE).exists();
        assertThat(Files.readString(committed()))
                .as("argocd/argocd-cm.yaml differs from what the build generates from the .lua files; regenerate "
                        + "it with: %s", ArgocdCmGenerator.REGENERATE)
                .isEqualTo(Files.readString(generated()));
        // And the generator, run here, agrees with the build's run.
        assertThat(ArgocdCmGenerator.render(Customizations.kinds())).isEqualTo(Files.readString(committed()));
    }

    @Test
    void inlinedScriptsAreExactlyTheFiles() {
        JsonNode cm = Customizations.object(committed());
        assertThat(cm.path("apiVersion").asText()).isEqualTo("v1");
        assertThat(cm.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(cm.at("/metadata/name").asText()).isEqualTo("argocd-cm");
        JsonNode data = cm.path("data");
        Set<String> expectedKeys = new HashSet<>();
        for (Kind kind : Customizations.kinds()) {
            String health = ArgocdCmGenerator.healthKey(kind);
            expectedKeys.add(health);
            assertThat(data.path(health).isTextual()).as(health).isTrue();
            assertThat(data.path(health).asText()).as("%s in argocd-cm.yaml", health)
                    .isEqualTo(Customizations.text(kind.health()));
            if (!kind.hasActions()) {
                continue;
            }
            String actionsKey = ArgocdCmGenerator.actionsKey(kind);
            expectedKeys.add(actionsKey);
            // Argo CD reads the value as YAML: discovery.lua, definitions[].name and definitions[].action.lua.
            JsonNode actions = readYaml(data.path(actionsKey).asText());
            assertThat(actions.path("discovery.lua").asText()).as("discovery.lua of %s", actionsKey)
                    .isEqualTo(Customizations.text(kind.actionsDir().resolve(Customizations.DISCOVERY)));
            List<String> names = new ArrayList<>();
            for (JsonNode definition : actions.path("definitions")) {
                String name = definition.path("name").asText();
                names.add(name);
                assertThat(definition.path("action.lua").asText()).as("action.lua of %s in %s", name, actionsKey)
                        .isEqualTo(Customizations.text(kind.action(name)));
            }
            assertThat(names).as("definitions in %s", actionsKey).containsExactlyElementsOf(kind.actionNames());
            Set<String> fields = new HashSet<>();
            actions.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).containsExactlyInAnyOrder("discovery.lua", "definitions");
        }
        Set<String> keys = new HashSet<>();
        data.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("argocd-cm keys").isEqualTo(expectedKeys);
    }

    private static JsonNode readYaml(String text) {
        try {
            return Customizations.YAML.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("the actions value is not YAML", e);
        }
    }
}
