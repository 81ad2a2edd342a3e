package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.modelops.argocd.Customizations.ActionTest;
import dev.modelops.argocd.Customizations.DiscoveryTest;
import dev.modelops.argocd.Customizations.ExpectedAction;
import dev.modelops.argocd.Customizations.HealthTest;
import dev.modelops.argocd.Customizations.Kind;

/**
 * One test case of a {@code health_test.yaml} or {@code action_test.yaml}, checked as Argo CD's own test suite checks
 * it ({@code util/lua/health_test.go}, {@code custom_actions_test.go}), only stricter where that costs nothing: the
 * discovery result must be exactly the expected list (Argo CD checks that each action found is expected), and an
 * action's output must equal the expected object field for field, numbers compared by value.
 */
final class CustomizationChecks {

    private CustomizationChecks() {
    }

    static void health(Kind kind, HealthTest test) {
        JsonNode input = Customizations.object(kind.dir().resolve(test.inputPath()));
        ArgoLua.HealthStatus actual = ArgoLua.health(Customizations.text(kind.health()), input);
        ArgoLua.HealthStatus expected = test.healthStatus();
        assertThat(expected).as("healthStatus of %s", test.inputPath()).isNotNull();
        assertThat(actual).as("health of %s", test.inputPath())
                .isEqualTo(new ArgoLua.HealthStatus(orEmpty(expected.status()), orEmpty(expected.message())));
    }

    static void discovery(Kind kind, DiscoveryTest test) {
        JsonNode input = Customizations.object(kind.actionsDir().resolve(test.inputPath()));
        List<ArgoLua.ResourceAction> actual = ArgoLua.discovery(Customizations.text(kind.actionsDir().resolve(
                Customizations.DISCOVERY)), input);
        List<ArgoLua.ResourceAction> expected = test.result() == null
                ? List.of()
                : test.result().stream().map(ExpectedAction::toAction).toList();
        assertThat(actual).as("actions discovered for %s", test.inputPath())
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    static void action(Kind kind, ActionTest test) {
        JsonNode input = Customizations.object(kind.actionsDir().resolve(test.inputPath()));
        String script = Customizations.text(kind.action(test.action()));
        Map<String, String> parameters = test.parameters() == null ? Map.of() : test.parameters();
        if (test.expectedErrorMessage() != null) {
            assertThat(test.expectedOutputPath()).as("a test expects an error or an output, not both").isNull();
            assertThatThrownBy(() -> ArgoLua.action(script, input, parameters))
                    .as("action %s on %s", test.action(), test.inputPath())
                    .isInstanceOf(ArgoLua.ScriptException.class)
                    .hasMessage(test.expectedErrorMessage());
            return;
        }
        assertThat(test.expectedOutputPath()).as("expectedOutputPath of %s on %s", test.action(), test.inputPath())
                .isNotNull();
        JsonNode actual = ArgoLua.action(script, input, parameters);
        JsonNode expected = Customizations.object(kind.actionsDir().resolve(test.expectedOutputPath()));
        List<String> differences = differences("", expected, actual);
        assertThat(differences).as("action %s on %s differs from %s", test.action(), test.inputPath(),
                test.expectedOutputPath()).isEmpty();
    }

    /** Where {@code actual} differs from {@code expected}, as "path: expected X, got Y"; numbers by value. */
    static List<String> differences(String path, JsonNode expected, JsonNode actual) {
        List<String> found = new ArrayList<>();
        if (expected == null || actual == null) {
            if (expected != actual) {
                found.add(path + ": expected " + expected + ", got " + actual);
            }
            return found;
        }
        if (expected.isNumber() && actual.isNumber()) {
            if (expected.decimalValue().compareTo(actual.decimalValue()) != 0) {
                found.add(path + ": expected " + expected + ", got " + actual);
            }
            return found;
        }
        if (expected.isObject() && actual.isObject()) {
            TreeSet<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String key : keys) {
                found.addAll(differences(path + "/" + key, expected.get(key), actual.get(key)));
            }
            return found;
        }
        if (expected.isArray() && actual.isArray()) {
            if (expected.size() != actual.size()) {
                found.add(path + ": expected " + expected.size() + " items, got " + actual.size());
                return found;
            }
            Iterator<JsonNode> e = expected.elements();
            Iterator<JsonNode> a = actual.elements();
            for (int i = 0; e.hasNext(); i++) {
                found.addAll(differences(path + "/" + i, e.next(), a.next()));
            }
            return found;
        }
        if (!expected.equals(actual)) {
            found.add(path + ": expected " + expected + ", got " + actual);
        }
        return found;
    }

    private static String orEmpty(String text) {
        return text == null ? "" : text;
    }
}
