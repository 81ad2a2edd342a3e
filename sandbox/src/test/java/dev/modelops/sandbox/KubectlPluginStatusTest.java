package dev.modelops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.modelops.sandbox.api.SandboxApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;

/**
 * The kubectl plugin against fixed ModelDeployments served by the sandbox's API server alone (no operator, so
 * nothing changes them and no request is consumed): {@code status} renders every phase exactly as the files under
 * {@code plugin/} say, the actions refuse what status shows to make no sense and write nothing, and wrong usage ends
 * with a message and exit status 2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KubectlPluginStatusTest {

    private static final String NAMESPACE = "ml";
    private static final String FIXTURES = "/dev/modelops/sandbox/plugin/";

    private SandboxApiServer api;
    private KubernetesClient client;
    private KubectlPlugin plugin;

    @BeforeAll
    void start() throws IOException {
        Path repo = Path.of(System.getProperty("modelops.repo", "..")).toAbsolutePath().normalize();
        Path workDir = Files.createDirectories(repo.resolve("sandbox/target/plugin-" + System.currentTimeMillis()));
        api = SandboxApiServer.start(0, Clock.systemUTC());
        Path kubeconfig = api.writeKubeconfig(workDir.resolve("kubeconfig"));
        client = api.client("fixtures");
        plugin = new KubectlPlugin(repo, kubeconfig, workDir);
        for (String fixture : new String[]{"no-status", "healthy", "progressing", "paused", "degraded", "promoting",
                "immediate"}) {
            create(fixture, null, true);
        }
    }

    @AfterAll
    void stop() {
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"no-status", "healthy", "progressing", "paused", "degraded", "promoting", "immediate"})
    void statusRendersEveryPhase(String fixture) {
        KubectlPlugin.Result result = plugin.run("status", nameOf(fixture), "-n", NAMESPACE).ok();
        assertThat(result.out()).isEqualTo(text(fixture + ".txt"));
        assertThat(result.err()).isEmpty();
    }

    @Test
    void kubectlFindsThePluginOnThePath() {
        assertThat(plugin.viaKubectl("plugin", "list").out()).contains("cli/kubectl-modelops");
        assertThat(plugin.viaKubectl("modelops", "version").ok().out()).isEqualTo(
                "kubectl-modelops 0.1.0 (modelops.dev/v1alpha1)\n");
        assertThat(plugin.viaKubectl("modelops", "status", "iris", "--namespace", NAMESPACE).ok().out())
                .isEqualTo(text("healthy.txt"));
    }

    @Test
    void anActionIsRequestedThroughTheAnnotationAndNeverTouchesSpec() {
        GenericKubernetesResource before = create("progressing", "act-pause", false);

        KubectlPlugin.Result pause = plugin.run("pause", "act-pause", "-n", NAMESPACE).ok();
        assertThat(pause.out()).isEqualTo("modeldeployment act-pause: requested pause (modelops.dev/action=pause)\n");

        GenericKubernetesResource after = deployments().withName("act-pause").get();
        assertThat(after.getMetadata().getAnnotations()).containsEntry("modelops.dev/action", "pause");
        assertThat(after.getMetadata().getGeneration()).isEqualTo(before.getMetadata().getGeneration());
        assertThat((Object) after.get("spec")).isEqualTo(before.get("spec"));
        assertThat(plugin.run("status", "act-pause", "-n", NAMESPACE).ok().out()).contains(
                "Pending:      pause (requested; the operator has not consumed it yet)");

        // Nothing consumes it here: a second request is refused while the first is pending.
        KubectlPlugin.Result resume = plugin.run("resume", "act-pause", "-n", NAMESPACE);
        assertThat(resume.exitCode()).isEqualTo(1);
        assertThat(resume.err()).contains("an earlier action is still pending: modelops.dev/action=pause",
                "kubectl annotate modeldeployments.modelops.dev act-pause modelops.dev/action-");
        assertThat(deployments().withName("act-pause").get().getMetadata().getAnnotations())
                .containsEntry("modelops.dev/action", "pause");
    }

    @Test
    void waitGivesUpWhenNoOperatorConsumesTheRequest() {
        create("degraded", "act-retry", false);
        KubectlPlugin.Result retry = plugin.run("retry", "act-retry", "-n", NAMESPACE, "--wait", "--timeout", "2s");
        assertThat(retry.exitCode()).isEqualTo(1);
        assertThat(retry.out()).contains("requested retry");
        assertThat(retry.err()).contains("timed out after 2s waiting for the operator to consume retry");
        assertThat(deployments().withName("act-retry").get().getMetadata().getAnnotations())
                .containsEntry("modelops.dev/action", "retry");
    }

    /** Each refusal writes nothing: the object's resourceVersion stays. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            healthy     | promote        | no canary rollout in progress (phase Healthy, serving iris-v3): nothing to promote
            healthy     | promote --full | no canary rollout in progress (phase Healthy, serving iris-v3): nothing to promote
            healthy     | abort          | no canary rollout in progress (phase Healthy, serving iris-v3): nothing to abort
            healthy     | pause          | no canary rollout in progress (phase Healthy, serving iris-v3): nothing to pause
            healthy     | resume         | no canary rollout in progress (phase Healthy, serving iris-v3): nothing to resume
            healthy     | retry          | the last rollout was not rolled back or aborted (v3: Promoted): nothing to retry
            progressing | resume         | canary iris-v8 is not paused (phase Progressing): nothing to resume
            progressing | retry          | canary iris-v8 is in progress: retry applies after a rollback or an abort
            paused      | promote        | an earlier action is still pending: modelops.dev/action=promote has not been consumed
            paused      | abort          | an earlier action is still pending: modelops.dev/action=promote has not been consumed
            degraded    | promote        | no canary rollout in progress (phase Degraded, serving iris-v4): nothing to promote
            degraded    | pause          | no canary rollout in progress (phase Degraded, serving iris-v4): nothing to pause
            promoting   | promote        | canary iris-v6 has passed every step and is being promoted already
            promoting   | promote --full | canary iris-v6 has passed every step and is being promoted already
            promoting   | pause          | canary iris-v6 has passed every step and is being promoted: nothing to pause
            immediate   | promote        | rolls out with strategy Immediate: there are no canary steps to promote
            no-status   | abort          | has no status yet: the operator has not reported on it, so there is no rollout to abort
            """)
    void actionsThatMakeNoSenseNowAreRefused(String fixture, String action, String message) {
        String name = nameOf(fixture);
        String version = deployments().withName(name).get().getMetadata().getResourceVersion();
        String[] words = action.split(" ");
        String[] args = new String[words.length + 3];
        System.arraycopy(words, 0, args, 0, words.length);
        args[words.length] = name;
        args[words.length + 1] = "-n";
        args[words.length + 2] = NAMESPACE;

        KubectlPlugin.Result result = plugin.run(args);
        assertThat(result.exitCode()).as(result.err()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).startsWith("error: " + name + ": ").contains(message);
        assertThat(deployments().withName(name).get().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void aWaitingPauseStepIsEndedByPromoteNotByResume() {
        create("paused", "act-waiting", false);
        KubectlPlugin.Result resume = plugin.run("resume", "act-waiting", "-n", NAMESPACE);
        assertThat(resume.exitCode()).isEqualTo(1);
        assertThat(resume.err()).contains("canary iris-v8 waits at a pause step that only a promote ends",
                "use 'kubectl modelops promote act-waiting'");
        KubectlPlugin.Result pause = plugin.run("pause", "act-waiting", "-n", NAMESPACE);
        assertThat(pause.exitCode()).isEqualTo(1);
        assertThat(pause.err()).contains("canary iris-v8 is paused already (WaitingForPromote)");
        plugin.run("promote", "act-waiting", "-n", NAMESPACE).ok();
        assertThat(deployments().withName("act-waiting").get().getMetadata().getAnnotations())
                .containsEntry("modelops.dev/action", "promote");
    }

    @Test
    void anUnknownDeploymentIsNamedWithItsNamespace() {
        for (String command : new String[]{"status", "promote", "retry"}) {
            KubectlPlugin.Result result = plugin.run(command, "nope", "-n", NAMESPACE);
            assertThat(result.exitCode()).isEqualTo(1);
            assertThat(result.err()).isEqualTo("error: ModelDeployment \"nope\" not found in namespace \"ml\"\n");
        }
        KubectlPlugin.Result context = plugin.run("status", "iris", "--context", "nowhere");
        assertThat(context.exitCode()).isEqualTo(1);
        assertThat(context.err()).contains("context was not found for specified context: nowhere");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                            | Usage:
            status                        | status needs the name of a ModelDeployment
            promote --bogus iris          | unknown flag: --bogus
            status iris --full            | --full is a flag of promote only
            abort iris --watch            | --watch is a flag of status only
            status iris --wait            | --wait is a flag of the actions
            promote iris extra            | unexpected argument: extra
            frobnicate iris               | unknown command "frobnicate"
            promote iris --wait --timeout=soon | invalid --timeout 'soon'
            status iris --watch --interval 0   | invalid --interval '0'
            status iris -n                | flag needs an argument: -n
            version extra                 | version takes no arguments
            """)
    void wrongUsageExitsWithTwo(String args, String message) {
        KubectlPlugin.Result result = plugin.run(args.isEmpty() ? new String[0] : args.split(" "));
        assertThat(result.exitCode()).as(result.err()).isEqualTo(2);
        assertThat(result.out()).isEmpty();
        assertThat(result.err()).contains(message);
    }

    @Test
    void helpAndVersion() {
        assertThat(plugin.run("help").ok().out()).contains("Usage:", "status NAME [--watch", "promote [--full] NAME",
                "pause | resume | abort | retry NAME", "-n, --namespace", "Exit status: 0 done");
        assertThat(plugin.run("--help").ok().out()).isEqualTo(plugin.run("help").out());
        assertThat(plugin.run("promote", "--help").ok().out()).contains("kubectl modelops promote [--full] NAME");
        assertThat(plugin.run("help", "abort").ok().out()).contains("kubectl modelops abort NAME");
        assertThat(plugin.run("version").ok().out()).startsWith("kubectl-modelops 0.1.0");
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> deployments() {
        return client.genericKubernetesResources("modelops.dev/v1alpha1", "ModelDeployment").inNamespace(NAMESPACE);
    }

    /**
     * Creates the fixture's ModelDeployment (under {@code name} when given) and writes its status through the status
     * subresource, as the operator would; {@code keepAction}: keep a pending action annotation the fixture has.
     */
    private GenericKubernetesResource create(String fixture, String name, boolean keepAction) {
        GenericKubernetesResource md = client.getKubernetesSerialization().unmarshal(text(fixture + ".yaml"),
                GenericKubernetesResource.class);
        Object status = md.getAdditionalProperties().remove("status");
        md.getMetadata().setNamespace(NAMESPACE);
        if (name != null) {
            md.getMetadata().setName(name);
        }
        if (!keepAction && md.getMetadata().getAnnotations() != null) {
            md.getMetadata().getAnnotations().remove("modelops.dev/action");
        }
        GenericKubernetesResource created = deployments().resource(md).create();
        if (status == null) {
            return created;
        }
        created.setAdditionalProperty("status", status);
        return deployments().resource(created).updateStatus();
    }

    private String nameOf(String fixture) {
        GenericKubernetesResource md = client.getKubernetesSerialization().unmarshal(text(fixture + ".yaml"),
                GenericKubernetesResource.class);
        return md.getMetadata().getName();
    }

    private static String text(String file) {
        try (InputStream in = KubectlPluginStatusTest.class.getResourceAsStream(FIXTURES + file)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + FIXTURES + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
