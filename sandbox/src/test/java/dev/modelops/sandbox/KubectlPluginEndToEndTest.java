package dev.modelops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import dev.modelops.sandbox.walk.Traffic;

/**
 * A canary rollout on the sandbox driven entirely through the kubectl plugin: every action (pause, resume, promote,
 * promote --full, abort, retry) goes through {@code kubectl modelops}, and each test checks both what the operator
 * did (status, tracks, weights, history, through plain kubectl) and what {@code kubectl modelops status} shows.
 * One sandbox for the class: one training gives iris-v1; iris-v2 and iris-v3 are registered by hand with the same
 * artifact, so their analysis against stable passes and their validation takes seconds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlPluginEndToEndTest {

    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final Duration ACT = Duration.ofSeconds(60);
    private static final String MD = "iris-cli";

    private Sandbox sandbox;
    private Kubectl kubectl;
    private KubectlPlugin plugin;
    private Traffic traffic;
    private Path workDir;

    @BeforeAll
    void start() throws Exception {
        Path repo = Path.of(System.getProperty("modelops.repo", "..")).toAbsolutePath().normalize();
        workDir = Files.createDirectories(repo.resolve("sandbox/target/plugin-e2e-" + System.currentTimeMillis()));
        sandbox = Sandbox.start(new Sandbox.Options(repo, workDir, 0, true));
        kubectl = new Kubectl(sandbox.options().kubeconfig(), workDir);
        plugin = new KubectlPlugin(repo, sandbox.options().kubeconfig(), workDir);

        // The deployment follows the newest Ready version; it serves iris-v1 as soon as the training's version is.
        kubectl.run("apply", "-f", repo.resolve("samples/training-cpu.yaml").toString()).ok();
        kubectl.apply(DEPLOYMENT).ok();
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("md", MD, "{.status.phase}"), "Healthy"::equals);
        String hostPorts = kubectl.jsonpath("endpoints", MD,
                "{.metadata.annotations.sandbox\\.modelops\\.dev/host-ports}");
        traffic = new Traffic(Integer.parseInt(hostPorts.replaceAll(".*http=127\\.0\\.0\\.1:(\\d+).*", "$1")),
                "iris");
    }

    @AfterAll
    void stop() {
        if (traffic != null) {
            traffic.close();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    @Order(1)
    void aHealthyDeploymentShowsItsStableTrackAndRefusesRolloutActions() {
        String status = plugin.run("status", MD).ok().out();
        assertThat(status).contains("Name:         iris-cli", "Phase:        Healthy",
                "Strategy:     Canary, 4 steps", "Replicas:     2 of 2 ready")
                .containsPattern("stable\\s+iris-v1 \\(v1\\)\\s+2/2\\s+100%")
                .containsPattern("v1\\s+Promoted\\s+\\S+Z\\s+InitialVersion")
                .doesNotContain("canary ", "Step:");

        for (String action : new String[]{"promote", "pause", "resume", "abort"}) {
            KubectlPlugin.Result refused = plugin.run(action, MD);
            assertThat(refused.exitCode()).as(action).isEqualTo(1);
            assertThat(refused.err()).contains("no canary rollout in progress (phase Healthy, serving iris-v1)");
        }
        KubectlPlugin.Result retry = plugin.run("retry", MD);
        assertThat(retry.exitCode()).isEqualTo(1);
        assertThat(retry.err()).contains("the last rollout was not rolled back or aborted (v1: Promoted)");
        assertThat(kubectl.jsonpath("md", MD, "{.metadata.annotations}")).doesNotContain("modelops.dev/action");

        KubectlPlugin.Result missing = plugin.run("promote", "--full", "iris-nope");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.err())
                .isEqualTo("error: ModelDeployment \"iris-nope\" not found in namespace \"default\"\n");
        KubectlPlugin.Result badFlag = plugin.run("promote", MD, "--force");
        assertThat(badFlag.exitCode()).isEqualTo(2);
        assertThat(badFlag.err()).contains("unknown flag: --force");
    }

    /** A timed pause step holds the canary without pausing it: the place to pause, resume and promote by hand. */
    @Test
    @Order(2)
    void aCanaryIsPausedResumedAndPromotedStepByStep() {
        kubectl.apply(version(2)).ok();
        awaitStep(1);
        String waiting = plugin.run("status", MD).ok().out();
        assertThat(waiting)
                .contains("Phase:        Progressing", "Step:         1/4 pause 1h", "  done 0  setWeight 50%",
                        "  now  1  pause 1h", "       2  analysis (2 measurements)", "       3  pause (until promoted)")
                .containsPattern("stable\\s+iris-v1 \\(v1\\)\\s+\\d/1\\s+50%")
                .containsPattern("canary\\s+iris-v2 \\(v2\\)\\s+1/1\\s+50%");
        assertThat(kubectl.jsonpath("md", MD, "{.status.canary.weight}")).isEqualTo("50");
        KubectlPlugin.Result retry = plugin.run("retry", MD);
        assertThat(retry.exitCode()).isEqualTo(1);
        assertThat(retry.err()).contains("canary iris-v2 is in progress");
        KubectlPlugin.Result resume = plugin.run("resume", MD);
        assertThat(resume.exitCode()).isEqualTo(1);
        assertThat(resume.err()).contains("canary iris-v2 is not paused");

        assertThat(plugin.run("pause", MD, "--wait").ok().out()).contains(
                "modeldeployment iris-cli: requested pause (modelops.dev/action=pause)",
                "modeldeployment iris-cli: pause applied: paused by modelops.dev/action=pause at step 1");
        assertThat(kubectl.jsonpath("md", MD, "{.status.phase}")).isEqualTo("Paused");
        assertThat(kubectl.jsonpath("md", MD, "{.status.conditions[?(@.type==\"Paused\")].reason}"))
                .isEqualTo("PausedByUser");
        assertThat(kubectl.jsonpath("md", MD, "{.metadata.annotations}")).doesNotContain("modelops.dev/action");
        assertThat(plugin.run("status", MD).ok().out()).contains("Phase:        Paused",
                "Paused=True (PausedByUser)", "Last action:  pause at ",
                ": applied: paused by modelops.dev/action=pause");
        KubectlPlugin.Result again = plugin.run("pause", MD);
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.err()).contains("canary iris-v2 is paused already (PausedByUser)");

        assertThat(plugin.run("resume", MD, "--wait").ok().out()).contains("resume applied: resumed at step 1");
        assertThat(kubectl.jsonpath("md", MD, "{.status.phase}")).isEqualTo("Progressing");
        assertThat(kubectl.jsonpath("md", MD, "{.status.canary.currentStep}")).isEqualTo("1");

        // promote ends the timed pause; the analysis step then measures the canary against stable under traffic
        // and moves on to the last step, a pause that only a person ends.
        assertThat(plugin.run("promote", MD, "--wait").ok().out()).contains(
                "promote applied: ended step 1 (pause 1h) by hand");
        awaitStep(3);
        assertThat(kubectl.jsonpath("md", MD, "{.status.conditions[?(@.type==\"Paused\")].reason}"))
                .isEqualTo("WaitingForPromote");
        String analysed = plugin.run("status", MD).ok().out();
        assertThat(analysed).contains("Phase:        Paused", "Step:         3/4 pause (until promoted)",
                "  done 2  analysis (2 measurements)", "  now  3  pause (until promoted)")
                .containsPattern("Analysis:\\s+Successful, measured at \\S+Z \\(in an earlier step\\)")
                .containsPattern("METRIC\\s+CANARY\\s+STABLE\\s+THRESHOLD\\s+OUTCOME")
                .containsPattern("error-rate\\s+0\\s+0\\s+<= 0.01\\s+Successful")
                .containsPattern("drift\\s+[0-9.e-]+\\s+-\\s+<= 0.2\\s+Successful");
        KubectlPlugin.Result resumeAtWait = plugin.run("resume", MD);
        assertThat(resumeAtWait.exitCode()).isEqualTo(1);
        assertThat(resumeAtWait.err()).contains("waits at a pause step that only a promote ends");

        assertThat(plugin.run("promote", "--full", MD, "--wait").ok().out()).contains(
                "promote-full applied: skipped the remaining steps and analysis: promoting iris-v2");
        await().atMost(SETTLE).pollInterval(Duration.ofSeconds(1))
                .until(() -> kubectl.jsonpath("md", MD, "{.status.phase}"), "Healthy"::equals);
        assertThat(kubectl.jsonpath("md", MD, "{.status.stable.modelVersion}")).isEqualTo("iris-v2");
        assertThat(kubectl.jsonpath("md", MD, "{.status.canary}")).isEmpty();
        String promoted = plugin.run("status", MD).ok().out();
        assertThat(promoted).contains("Phase:        Healthy")
                .containsPattern("stable\\s+iris-v2 \\(v2\\)\\s+2/2\\s+100%")
                .containsPattern(
                        "v1\\s+Promoted\\s+\\S+Z\\s+InitialVersion\n\\s+v2\\s+Promoted\\s+\\S+Z\\s+PromotedByUser")
                .doesNotContain("Step:");
    }

    /** Abort rolls back and rejects; retry takes the rejection back and the canary starts over. */
    @Test
    @Order(3)
    void aCanaryIsAbortedRetriedAndAbortedAgainWhileStatusWatches() throws Exception {
        kubectl.apply(version(3)).ok();
        awaitStep(1);
        Path watchOutput = workDir.resolve("watch.out");
        Process watch = plugin.start(watchOutput, "status", MD, "--watch", "--interval", "1");
        try {
            await().atMost(ACT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(watchOutput).contains("canary   iris-v3 (v3)"));

            assertThat(plugin.run("abort", MD, "--wait").ok().out()).contains(
                    "abort applied: rolled back iris-v3; iris-v2 serves everything");
            assertThat(kubectl.jsonpath("md", MD, "{.status.phase}")).isEqualTo("Degraded");
            assertThat(kubectl.jsonpath("md", MD, "{.status.history[-1].outcome}")).isEqualTo("Aborted");
            assertThat(kubectl.jsonpath("md", MD, "{.status.stable.weight}")).isEqualTo("100");
            assertThat(kubectl.jsonpath("mv", "iris-v3", "{.status.rejections[0].reason}")).isEqualTo("Aborted");

            // The watch renders the change on its own.
            await().atMost(ACT).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(watchOutput).contains("Phase:        Degraded"));
            String watched = Files.readString(watchOutput);
            assertThat(watched.indexOf("Phase:        Progressing")).isNotNegative()
                    .isLessThan(watched.indexOf("Phase:        Degraded"));
            assertThat(watched).containsPattern("v3\\s+Aborted\\s+\\S+Z\\s+Aborted");
        } finally {
            watch.destroy();
            assertThat(watch.waitFor(10, TimeUnit.SECONDS)).as("status --watch stops when interrupted").isTrue();
        }
        assertThat(watch.exitValue()).isZero();

        KubectlPlugin.Result abortAgain = plugin.run("abort", MD);
        assertThat(abortAgain.exitCode()).isEqualTo(1);
        assertThat(abortAgain.err()).contains("no canary rollout in progress (phase Degraded, serving iris-v2)");

        assertThat(plugin.run("retry", MD, "--wait").ok().out()).contains(
                "retry applied: took back the rejection of iris-v3; its canary starts again from the first step");
        assertThat(kubectl.jsonpath("mv", "iris-v3", "{.status.rejections}")).isEmpty();
        awaitStep(1);
        assertThat(plugin.run("status", MD).ok().out()).contains("Phase:        Progressing",
                "Step:         1/4 pause 1h", "Last action:  retry at ")
                .containsPattern("canary\\s+iris-v3 \\(v3\\)\\s+1/1\\s+50%");

        // Once more through kubectl's plugin discovery: kubectl modelops.
        assertThat(plugin.viaKubectl("modelops", "abort", MD, "--wait").ok().out()).contains("abort applied");
        String end = plugin.viaKubectl("modelops", "status", MD).ok().out();
        assertThat(end).contains("Phase:        Degraded", "Ready=False (RolledBack)", "RolledBack=True (Aborted)")
                .containsPattern("stable\\s+iris-v2 \\(v2\\)\\s+\\d/2\\s+100%")
                .containsPattern("(?s)v1\\s+Promoted\\s+\\S+Z\\s+InitialVersion\n\\s+v2\\s+Promoted\\s+\\S+Z\\s+"
                        + "PromotedByUser\n\\s+v3\\s+Aborted\\s+\\S+Z\\s+Aborted\n\\s+v3\\s+Aborted\\s+\\S+Z\\s+Aborted\n")
                .doesNotContain("canary ");
        assertThat(traffic.ok()).as("requests answered during the rollouts").isGreaterThan(100);
    }

    private void awaitStep(int step) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> kubectl.jsonpath("md", MD, "{.status.canary.currentStep}"), String.valueOf(step)::equals);
    }

    /** A version registered by hand with iris-v1's artifact and class labels (drift against stable is ~0). */
    private String version(int n) {
        String artifact = kubectl.run("get", "mv", "iris-v1", "-o",
                "jsonpath={.spec.artifact.uri} {.spec.artifact.sha256}").ok().out().trim();
        String[] parts = artifact.split(" ");
        return """
                apiVersion: modelops.dev/v1alpha1
                kind: ModelVersion
                metadata:
                  name: iris-v%1$d
                spec:
                  model: iris
                  version: %1$d
                  artifact:
                    uri: %2$s
                    format: onnx
                    sha256: %3$s
                  classLabels: [setosa, versicolor, virginica]
                  metrics:
                    accuracy: 0.9
                """.formatted(n, parts[0], parts[1]);
    }

    private static final String DEPLOYMENT = """
            apiVersion: modelops.dev/v1alpha1
            kind: ModelDeployment
            metadata:
              name: iris-cli
            spec:
              model: iris
              versionPolicy: Latest
              replicas: 2
              runtime:
                threads:
                  intraOp: 1
              rollout:
                strategy: Canary
                steps:
                  - setWeight: 50
                  - pause:
                      duration: 1h
                  - analysis:
                      measurements: 2
                  - pause: {}
                analysis:
                  interval: 2s
                  minRequests: 5
                  failureLimit: 0
                  inconclusiveLimit: 3
                  metrics:
                    - name: error-rate
                      type: ErrorRate
                      max: 0.01
                    - name: drift
                      type: PredictionDrift
                      max: 0.2
            """;
}
