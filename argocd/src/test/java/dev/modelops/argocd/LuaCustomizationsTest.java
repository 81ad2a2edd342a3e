package dev.modelops.argocd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import dev.modelops.argocd.Customizations.ActionTest;
import dev.modelops.argocd.Customizations.ActionTests;
import dev.modelops.argocd.Customizations.DiscoveryTest;
import dev.modelops.argocd.Customizations.HealthTest;
import dev.modelops.argocd.Customizations.Kind;

/**
 * Every case of every {@code health_test.yaml} and {@code action_test.yaml}, run through {@link ArgoLua} and reported
 * by name ({@code ModelDeployment/health/testdata/healthy_serving.yaml}), plus the rules that keep the tree complete:
 * each Kind has a health check, each fixture is used, each action is discovered and tested.
 */
class LuaCustomizationsTest {

    /** The requests the operator honours (operator ManualAction, the modelops.dev/action values). */
    static final List<String> DEPLOYMENT_ACTIONS = List.of("abort", "pause", "promote", "promote-full", "resume",
            "retry");

    /** Flat, each named as Argo CD's suite names its subtests, so that reports show the case, not an index. */
    @TestFactory
    Stream<DynamicTest> healthAndActionCases() {
        return Customizations.kinds().stream().flatMap(LuaCustomizationsTest::cases);
    }

    private static Stream<DynamicTest> cases(Kind kind) {
        String prefix = kind.name() + "/";
        List<DynamicTest> tests = new ArrayList<>();
        for (HealthTest test : kind.healthTests().tests()) {
            tests.add(dynamicTest(prefix + "health/" + test.inputPath() + " -> " + test.healthStatus().status(),
                    () -> CustomizationChecks.health(kind, test)));
        }
        if (kind.hasActions()) {
            ActionTests actionTests = kind.actionTests();
            for (DiscoveryTest test : actionTests.discoveryTests()) {
                tests.add(dynamicTest(prefix + "discovery/" + test.inputPath(), () -> CustomizationChecks.discovery(
                        kind, test)));
            }
            for (ActionTest test : actionTests.actionTests()) {
                tests.add(dynamicTest(prefix + "actions/" + test.action() + "/" + test.inputPath()
                        + (test.expectedErrorMessage() == null ? "" : " -> error"),
                        () -> CustomizationChecks.action(
                                kind, test)));
            }
        }
        return tests.stream();
    }

    @Test
    void everyKindHasATestedHealthCheck() {
        assertThat(Customizations.kinds()).extracting(Kind::name)
                .containsExactly("ModelDeployment", "ModelTraining", "ModelVersion");
        for (Kind kind : Customizations.kinds()) {
            assertThat(kind.health()).as("%s health check", kind.name()).isRegularFile();
            Set<String> statuses = new HashSet<>();
            kind.healthTests().tests().forEach(t -> statuses.add(t.healthStatus().status()));
            assertThat(statuses).as("health statuses the %s tests expect", kind.name())
                    .contains("Healthy", "Progressing", "Degraded");
            if (!kind.name().equals("ModelVersion")) {
                assertThat(statuses).as("%s can be suspended", kind.name()).contains("Suspended");
            }
        }
    }

    @Test
    void deploymentActionsAreTheOperatorsRequestsEachDiscoveredAndTested() {
        Kind deployment = kind("ModelDeployment");
        assertThat(deployment.actionNames()).containsExactlyElementsOf(DEPLOYMENT_ACTIONS);
        ActionTests tests = deployment.actionTests();
        assertThat(tests.discoveryTests()).isNotEmpty();
        for (DiscoveryTest test : tests.discoveryTests()) {
            // Argo CD needs a definition for every action discovery names; the UI lists every one, greyed out or not.
            assertThat(test.result()).as("actions discovered for %s", test.inputPath())
                    .extracting(Customizations.ExpectedAction::name)
                    .containsExactlyInAnyOrderElementsOf(DEPLOYMENT_ACTIONS);
        }
        for (String action : DEPLOYMENT_ACTIONS) {
            assertThat(tests.actionTests()).as("tests of action %s", action)
                    .anyMatch(t -> t.action().equals(action) && t.expectedOutputPath() != null);
            assertThat(tests.discoveryTests()).as("a state in which %s is offered", action)
                    .anyMatch(t -> t.result().stream().anyMatch(a -> a.name().equals(action)
                            && !Boolean.TRUE.equals(a.disabled())));
        }
        assertThat(tests.discoveryTests()).as("a state in which nothing is offered")
                .anyMatch(t -> t.result().stream().allMatch(a -> Boolean.TRUE.equals(a.disabled())));
        assertThat(kind("ModelTraining").hasActions()).isFalse();
        assertThat(kind("ModelVersion").hasActions()).isFalse();
    }

    @Test
    void everyFixtureIsUsedAndEveryPathExists() throws IOException {
        for (Kind kind : Customizations.kinds()) {
            Set<Path> used = new HashSet<>();
            for (HealthTest test : kind.healthTests().tests()) {
                used.add(kind.dir().resolve(test.inputPath()).normalize());
            }
            if (kind.hasActions()) {
                ActionTests tests = kind.actionTests();
                for (DiscoveryTest test : tests.discoveryTests()) {
                    used.add(kind.actionsDir().resolve(test.inputPath()).normalize());
                }
                for (ActionTest test : tests.actionTests()) {
                    used.add(kind.actionsDir().resolve(test.inputPath()).normalize());
                    if (test.expectedOutputPath() != null) {
                        used.add(kind.actionsDir().resolve(test.expectedOutputPath()).normalize());
                    }
                }
            }
            assertThat(used).as("files the %s tests read", kind.name()).allSatisfy(p -> assertThat(p)
                    .isRegularFile());
            assertThat(fixtures(kind)).as("fixtures of %s no test reads", kind.name())
                    .allSatisfy(p -> assertThat(used).contains(p));
        }
    }

    private static final Pattern GOTO = Pattern.compile("\\bgoto\\b|::\\w+::");

    @Test
    void scriptsStayInsideWhatArgoCdsLuaAndTheArgocdCmSnippetCarry() throws IOException {
        for (Path script : scripts()) {
            String text = Files.readString(script);
            // gopher-lua is Lua 5.1: no goto or labels (LuaJ, 5.2, would accept them).
            assertThat(GOTO.matcher(text).find()).as("goto or a label in %s", script).isFalse();
            // Inlined as YAML literal blocks: one final newline, no tabs, no indented first line.
            assertThat(text).as(script.toString()).endsWith("\n").doesNotEndWith("\n\n").doesNotContain("\t")
                    .doesNotStartWith(" ");
        }
    }

    static List<Path> scripts() throws IOException {
        try (Stream<Path> files = Files.walk(Customizations.root())) {
            return files.filter(p -> p.toString().endsWith(".lua")).sorted().toList();
        }
    }

    static List<Path> fixtures(Kind kind) throws IOException {
        try (Stream<Path> files = Files.walk(kind.dir())) {
            return files.filter(p -> p.toString().endsWith(".yaml") && p.getParent().getFileName().toString()
                    .equals("testdata")).map(Path::normalize).sorted().toList();
        }
    }

    static Kind kind(String name) {
        return Customizations.kinds().stream().filter(k -> k.name().equals(name)).findFirst().orElseThrow();
    }
}
