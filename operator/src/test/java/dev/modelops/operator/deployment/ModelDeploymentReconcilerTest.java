package dev.modelops.operator.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.Autoscaling;
import dev.modelops.api.deployment.Batching;
import dev.modelops.api.deployment.DeploymentPhase;
import dev.modelops.api.deployment.Gates;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutOutcome;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.RuntimeSpec;
import dev.modelops.api.deployment.VersionPolicy;
import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.operator.ApiWrites;
import dev.modelops.operator.FakeDeploymentController;
import dev.modelops.operator.FakeDeploymentController.Breakage;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.version.ValidationJobPlanner;
import dev.modelops.operator.version.Versions;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/**
 * The deployment controller against the mock API server, driven the way a user drives it (create, edit spec, a new
 * version appearing), with a fake Deployment controller and kubelet writing what a cluster would.
 */
@QuarkusTest
@WithKubernetesTestServer
class ModelDeploymentReconcilerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    FakeJobController jobs;
    FakeDeploymentController kube;
    String ns;

    @BeforeEach
    void setUp() {
        jobs = new FakeJobController(client, ValidationJobPlanner.CONTAINER);
        kube = new FakeDeploymentController(client);
        ns = client.getNamespace();
    }

    @AfterEach
    void tearDown() {
        kube.close();
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    /** Creates a version and plays its validation Job to success, as the cluster would. */
    private ModelVersion readyVersion(String model, int number, Map<String, Double> metrics) {
        ModelVersion version = Versions.version(model, number);
        version.getMetadata().setNamespace(ns);
        version.getMetadata().setUid(null);
        version.getMetadata().setGeneration(null);
        version.getSpec().setMetrics(metrics);
        version.getSpec().setClassLabels(List.of("setosa", "versicolor", "virginica"));
        client.resource(version).create();
        String jobName = model + "-v" + number + "-validate-1";
        await().atMost(WAIT).until(() -> jobs.job(ns, jobName) != null);
        Job job = jobs.job(ns, jobName);
        jobs.succeed(job, jobs.start(job), Versions.okReport());
        return awaitVersion(model + "-v" + number, v -> assertThat(v.getStatus().getPhase()).isEqualTo(
                VersionPhase.Ready));
    }

    private ModelVersion awaitVersion(String name, Consumer<ModelVersion> check) {
        await().atMost(WAIT).untilAsserted(() -> {
            ModelVersion v = client.resources(ModelVersion.class).inNamespace(ns).withName(name).get();
            assertThat(v).isNotNull();
            assertThat(v.getStatus()).isNotNull();
            check.accept(v);
        });
        return client.resources(ModelVersion.class).inNamespace(ns).withName(name).get();
    }

    private ModelDeployment deployment(String name, String model, Consumer<ModelDeploymentSpec> customize) {
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel(model);
        RolloutSpec rollout = new RolloutSpec();
        rollout.setStrategy(RolloutStrategy.Immediate);
        spec.setRollout(rollout);
        customize.accept(spec);
        ModelDeployment md = new ModelDeployment();
        md.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(ns).build());
        md.setSpec(spec);
        return client.resource(md).create();
    }

    private ModelDeployment get(String name) {
        return client.resources(ModelDeployment.class).inNamespace(ns).withName(name).get();
    }

    private ModelDeployment awaitDeployment(String name, Consumer<ModelDeployment> check) {
        await().atMost(WAIT).untilAsserted(() -> {
            ModelDeployment md = get(name);
            assertThat(md.getStatus()).isNotNull();
            check.accept(md);
        });
        return get(name);
    }

    /** A write by hand, tried again when a controller's write came first (409), as a person would. */
    private void retrying(Runnable write) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> {
                    write.run();
                    return true;
                });
    }

    /** Edits the spec as a person would, trying again when the operator's status write came first (409). */
    private void edit(String name, Consumer<ModelDeploymentSpec> change) {
        await().atMost(WAIT).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> {
                    client.resources(ModelDeployment.class).inNamespace(ns).withName(name).edit(md -> {
                        change.accept(md.getSpec());
                        return md;
                    });
                    return true;
                });
    }

    private Deployment stableDeployment(String name) {
        return client.apps().deployments().inNamespace(ns).withName(name + "-stable").get();
    }

    private List<String> podNames(String deployment) {
        return kube.pods(ns, Map.of(ModelOps.LABEL_DEPLOYMENT, deployment)).stream().map(p -> p.getMetadata()
                .getName()).toList();
    }

    private static Map<String, String> env(Container container) {
        return container.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    private static String reason(ModelDeployment md, String type) {
        return Conditions.find(md.getStatus().getConditions(), type).getReason();
    }

    private List<String> eventReasons(String name) {
        return client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).map(Event::getReason).toList();
    }

    private static Consumer<ModelDeployment> serving(String version) {
        return md -> {
            assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy);
            assertThat(md.getStatus().getStable().getModelVersion()).isEqualTo(version);
        };
    }

    // ---- tests -----------------------------------------------------------------------------------------------

    @Test
    void aPinnedReadyVersionServesOnTheRightPods() {
        readyVersion("pin", 1, Map.of("accuracy", 0.95));
        deployment("pin", "pin", spec -> {
            spec.setVersion(1);
            spec.setReplicas(2);
            RuntimeSpec runtime = new RuntimeSpec();
            Batching batching = new Batching();
            batching.setMaxBatchSize(8);
            batching.setMaxDelay("2ms");
            runtime.setBatching(batching);
            spec.setRuntime(runtime);
        });
        ModelDeployment md = awaitDeployment("pin", serving("pin-v1"));
        assertThat(md.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(md.getStatus().getReplicas()).isEqualTo(2);
        assertThat(md.getStatus().getSelector()).isEqualTo(ModelOps.LABEL_DEPLOYMENT + "=pin");
        assertThat(md.getStatus().getUrl()).isEqualTo("http://pin." + ns + ".svc.cluster.local");
        assertThat(md.getStatus().getStable().getVersion()).isEqualTo(1);
        assertThat(md.getStatus().getHistory()).singleElement()
                .satisfies(h -> assertThat(h.getOutcome()).isEqualTo(RolloutOutcome.Promoted));
        assertThat(md.getStatus().getObservedGeneration()).isEqualTo(md.getMetadata().getGeneration());
        assertThat(reason(md, Conditions.READY)).isEqualTo("Serving");

        Deployment stable = stableDeployment("pin");
        assertThat(stable.getSpec().getReplicas()).isEqualTo(2);
        assertThat(stable.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getName()).isEqualTo("pin"));
        var pod = stable.getSpec().getTemplate();
        assertThat(pod.getMetadata().getLabels()).containsEntry(ModelOps.LABEL_MODEL, "pin")
                .containsEntry(ModelOps.LABEL_VERSION, "1").containsEntry(ModelOps.LABEL_TRACK, "stable");
        Container fetch = pod.getSpec().getInitContainers().get(0);
        assertThat(fetch.getArgs()).containsExactly("fetch", "--uri", "pvc://models/pin/v1/model.onnx", "--sha256",
                Versions.SHA, "--output", RuntimeContract.MODEL_PATH);
        Container server = pod.getSpec().getContainers().get(0);
        assertThat(env(server)).containsEntry(RuntimeContract.ENV_MODEL_NAME, "pin")
                .containsEntry(RuntimeContract.ENV_MODEL_VERSION, "1")
                .containsEntry(RuntimeContract.ENV_TRACK, "stable")
                .containsEntry(RuntimeContract.ENV_MAX_BATCH_SIZE, "8")
                .containsEntry(RuntimeContract.ENV_MAX_BATCH_DELAY, "2ms")
                .containsEntry(RuntimeContract.ENV_CLASS_LABELS, "setosa,versicolor,virginica");
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.PATH_READY);
        assertThat(server.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(kube.pods(ns, Map.of(ModelOps.LABEL_DEPLOYMENT, "pin"))).hasSize(2);

        Service all = client.services().inNamespace(ns).withName("pin").get();
        assertThat(all.getSpec().getSelector()).containsExactly(Map.entry(ModelOps.LABEL_DEPLOYMENT, "pin"));
        assertThat(all.getSpec().getPorts().get(0).getPort()).isEqualTo(80);
        assertThat(client.services().inNamespace(ns).withName("pin-stable").get().getSpec().getSelector())
                .containsEntry(ModelOps.LABEL_TRACK, "stable");
        assertThat(client.services().inNamespace(ns).withName("pin-canary").get()).isNull();

        awaitVersion("pin-v1", v -> assertThat(v.getStatus().getDeployments()).extracting(
                DeploymentReference::getName).containsExactly("pin"));
        assertThat(eventReasons("pin")).contains("Serving");
    }

    @Test
    void latestFollowsANewlyReadyVersionAndTheOldOneLearnsItIsNoLongerServed() {
        readyVersion("lat", 1, Map.of("accuracy", 0.91));
        deployment("lat", "lat", spec -> spec.setVersionPolicy(VersionPolicy.Latest));
        awaitDeployment("lat", serving("lat-v1"));
        awaitVersion("lat-v1", v -> assertThat(Conditions.isTrue(v.getStatus().getConditions(), "InUse")).isTrue());

        readyVersion("lat", 2, Map.of("accuracy", 0.93));
        ModelDeployment md = awaitDeployment("lat", serving("lat-v2"));
        assertThat(md.getStatus().getHistory()).extracting(h -> h.getVersion()).containsExactly(1, 2);
        assertThat(stableDeployment("lat").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(ModelOps.LABEL_VERSION, "2");
        awaitVersion("lat-v1", v -> {
            assertThat(v.getStatus().getDeployments()).isNull();
            assertThat(Conditions.isTrue(v.getStatus().getConditions(), "InUse")).isFalse();
        });
        awaitVersion("lat-v2", v -> assertThat(v.getStatus().getDeployments()).isNotEmpty());
    }

    @Test
    void aVersionThatIsMissingNotReadyOrFailedNeverReplacesWhatServes() {
        readyVersion("wait", 1, null);
        deployment("wait", "wait", spec -> spec.setVersion(1));
        awaitDeployment("wait", serving("wait-v1"));

        edit("wait", spec -> spec.setVersion(2));
        ModelDeployment missing = awaitDeployment("wait", md -> assertThat(reason(md, "Degraded")).isEqualTo(
                "VersionNotFound"));
        assertThat(missing.getStatus().getPhase()).isEqualTo(DeploymentPhase.Degraded);
        assertThat(missing.getStatus().getStable().getModelVersion()).isEqualTo("wait-v1");
        assertThat(missing.getStatus().getMessage()).contains("wait-v1 keeps serving");

        ModelVersion v2 = Versions.version("wait", 2);
        v2.getMetadata().setNamespace(ns);
        v2.getMetadata().setUid(null);
        client.resource(v2).create();
        awaitDeployment("wait", md -> {
            assertThat(reason(md, Conditions.READY)).isEqualTo("VersionNotReady");
            assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Progressing);
        });
        assertThat(stableDeployment("wait").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(ModelOps.LABEL_VERSION, "1");

        await().atMost(WAIT).until(() -> jobs.job(ns, "wait-v2-validate-1") != null);
        Job job = jobs.job(ns, "wait-v2-validate-1");
        jobs.fail(job, jobs.start(job), 1, Versions.failure("InvalidModel", "not a valid ONNX model"));
        ModelDeployment failed = awaitDeployment("wait", md -> assertThat(reason(md, "Degraded")).isEqualTo(
                "VersionFailed"));
        assertThat(failed.getStatus().getStable().getModelVersion()).isEqualTo("wait-v1");
        assertThat(stableDeployment("wait").getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(ModelOps.LABEL_VERSION, "1");
        assertThat(kube.pods(ns, Map.of(ModelOps.LABEL_DEPLOYMENT, "wait"))).hasSize(1);
        assertThat(eventReasons("wait")).contains("VersionNotFound", "VersionFailed");
    }

    @Test
    void onlyARuntimeChangeRollsThePods() {
        readyVersion("roll", 1, Map.of("accuracy", 0.9));
        deployment("roll", "roll", spec -> spec.setVersion(1));
        awaitDeployment("roll", serving("roll-v1"));
        var before = stableDeployment("roll").getSpec().getTemplate();
        List<String> podsBefore = podNames("roll");

        edit("roll", spec -> {
            spec.setReplicas(3);
            Gates gates = new Gates();
            gates.setMinimums(Map.of("accuracy", 0.5));
            spec.getRollout().setGates(gates);
        });
        await().atMost(WAIT).until(() -> stableDeployment("roll").getSpec().getReplicas() == 3);
        var after = stableDeployment("roll").getSpec().getTemplate();
        assertThat(after.getMetadata().getLabels()).isEqualTo(before.getMetadata().getLabels());
        assertThat(after.getSpec().getContainers().get(0).getEnv()).isEqualTo(before.getSpec().getContainers().get(0)
                .getEnv());
        assertThat(after.getSpec().getInitContainers().get(0).getArgs()).isEqualTo(before.getSpec()
                .getInitContainers().get(0).getArgs());
        await().atMost(WAIT).until(() -> podNames("roll").size() == 3);
        assertThat(podNames("roll")).as("scaling keeps the running pods").containsAll(podsBefore);

        edit("roll", spec -> {
            RuntimeSpec runtime = new RuntimeSpec();
            runtime.setEnv(List.of(new EnvVar("LOG_LEVEL", "debug", null)));
            spec.setRuntime(runtime);
        });
        await().atMost(WAIT).untilAsserted(() -> assertThat(env(stableDeployment("roll").getSpec().getTemplate()
                .getSpec().getContainers().get(0))).containsEntry("LOG_LEVEL", "debug"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(podNames("roll")).as("a runtime change rolls the pods")
                .hasSize(3).doesNotContainAnyElementsOf(podsBefore));
        awaitDeployment("roll", md -> {
            assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Healthy);
            assertThat(md.getStatus().getReadyReplicas()).isEqualTo(3);
        });
    }

    @Test
    void ownedObjectsConvergeOnWhatTheSpecSays() {
        readyVersion("own", 1, null);
        deployment("own", "own", spec -> {
            spec.setVersion(1);
            spec.setReplicas(2);
        });
        awaitDeployment("own", serving("own-v1"));

        client.services().inNamespace(ns).withName("own-stable").delete();
        await().atMost(WAIT).until(() -> client.services().inNamespace(ns).withName("own-stable").get() != null);

        retrying(() -> client.apps().deployments().inNamespace(ns).withName("own-stable").edit(d -> {
            d.getSpec().setReplicas(7);
            return d;
        }));
        await().atMost(WAIT).until(() -> stableDeployment("own").getSpec().getReplicas() == 2);

        edit("own", spec -> {
            Autoscaling autoscaling = new Autoscaling();
            autoscaling.setMinReplicas(3);
            autoscaling.setMaxReplicas(6);
            spec.setAutoscaling(autoscaling);
        });
        await().atMost(WAIT).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns)
                .withName("own").get() != null);
        HorizontalPodAutoscaler hpa = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns)
                .withName("own").get();
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("ModelDeployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo(ModelOps.API_VERSION);
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("own");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(3);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization())
                .isEqualTo(80);
        // spec.replicas 2 is below the autoscaler's minimum: the operator serves within the bounds.
        await().atMost(WAIT).until(() -> stableDeployment("own").getSpec().getReplicas() == 3);

        // What `kubectl scale` and the autoscaler do: write spec.replicas through the scale subresource.
        edit("own", spec -> spec.setReplicas(5));
        await().atMost(WAIT).until(() -> stableDeployment("own").getSpec().getReplicas() == 5);
        awaitDeployment("own", md -> assertThat(md.getStatus().getReplicas()).isEqualTo(5));

        edit("own", spec -> spec.setAutoscaling(null));
        await().atMost(WAIT).until(() -> client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns)
                .withName("own").get() == null);
    }

    @Test
    void aNewVersionThatNeverGetsReadyLeavesTheOldOneServing() {
        readyVersion("bad", 1, null);
        readyVersion("bad", 2, null);
        kube.breakVersion("bad", 2, Breakage.CHECKSUM_MISMATCH);
        deployment("bad", "bad", spec -> {
            spec.setVersion(1);
            spec.setReplicas(2);
        });
        awaitDeployment("bad", serving("bad-v1"));

        edit("bad", spec -> spec.setVersion(2));
        ModelDeployment md = awaitDeployment("bad", d -> assertThat(reason(d, "Degraded")).isEqualTo(
                "ArtifactFetchFailed"));
        assertThat(md.getStatus().getPhase()).isEqualTo(DeploymentPhase.Degraded);
        assertThat(md.getStatus().getMessage()).contains("ChecksumMismatch").contains("bad-v1 keeps serving");
        assertThat(md.getStatus().getStable().getModelVersion()).isEqualTo("bad-v1");
        assertThat(md.getStatus().getReadyReplicas()).isEqualTo(2);
        assertThat(eventReasons("bad")).contains("ArtifactFetchFailed");
    }

    @Test
    void underLatestAVersionPastItsProgressDeadlineIsRejectedAndTheOldOneStays() {
        readyVersion("stuck", 1, null);
        deployment("stuck", "stuck", spec -> spec.setVersionPolicy(VersionPolicy.Latest));
        awaitDeployment("stuck", serving("stuck-v1"));

        kube.breakVersion("stuck", 2, Breakage.DEADLINE_EXCEEDED);
        readyVersion("stuck", 2, null);
        awaitVersion("stuck-v2", v -> assertThat(v.getStatus().getRejections()).singleElement()
                .satisfies(r -> {
                    assertThat(r.getDeployment()).isEqualTo("stuck");
                    assertThat(r.getReason()).isEqualTo("RolloutFailed");
                    assertThat(r.getMessage()).contains("ProgressDeadlineExceeded");
                }));
        awaitDeployment("stuck", serving("stuck-v1"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(stableDeployment("stuck").getSpec().getTemplate()
                .getMetadata().getLabels()).containsEntry(ModelOps.LABEL_VERSION, "1"));
    }

    @Test
    void aVersionFailingTheGatesIsRejectedWithoutAPod() {
        readyVersion("gate", 1, Map.of("accuracy", 0.95));
        readyVersion("gate", 2, Map.of("accuracy", 0.80));
        deployment("gate", "gate", spec -> {
            spec.setVersionPolicy(VersionPolicy.Latest);
            Gates gates = new Gates();
            gates.setMinimums(Map.of("accuracy", 0.9));
            spec.getRollout().setGates(gates);
        });
        awaitDeployment("gate", serving("gate-v1"));
        awaitVersion("gate-v2", v -> assertThat(v.getStatus().getRejections()).singleElement()
                .satisfies(r -> {
                    assertThat(r.getReason()).isEqualTo("GateFailed");
                    assertThat(r.getMessage()).contains("accuracy 0.8 is below the minimum 0.9");
                }));
        assertThat(kube.pods(ns, Map.of(ModelOps.LABEL_DEPLOYMENT, "gate"))).allSatisfy(p -> assertThat(p
                .getMetadata().getLabels()).containsEntry(ModelOps.LABEL_VERSION, "1"));
    }

    @Test
    void aSettledDeploymentCostsNoWrites() throws Exception {
        readyVersion("calm", 1, Map.of("accuracy", 0.9));
        deployment("calm", "calm", spec -> {
            spec.setVersion(1);
            spec.setReplicas(2);
            Autoscaling autoscaling = new Autoscaling();
            autoscaling.setMaxReplicas(4);
            autoscaling.setMinReplicas(2);
            spec.setAutoscaling(autoscaling);
        });
        awaitDeployment("calm", serving("calm-v1"));
        Thread.sleep(1000);
        ApiWrites writes = new ApiWrites(server);
        writes.reset();
        // Touch every owned object and the deployment itself: each touch starts a reconcile, none may write.
        Map<String, String> touched = new HashMap<>(Map.of("touched", "yes"));
        retrying(() -> client.apps().deployments().inNamespace(ns).withName("calm-stable").edit(d -> {
            d.getMetadata().getLabels().putAll(touched);
            return d;
        }));
        client.services().inNamespace(ns).withName("calm").edit(s -> {
            s.getMetadata().getLabels().putAll(touched);
            return s;
        });
        await().atMost(WAIT).ignoreExceptionsInstanceOf(io.fabric8.kubernetes.client.KubernetesClientException.class)
                .until(() -> client.resources(ModelDeployment.class).inNamespace(ns).withName("calm").edit(md -> {
                    md.getMetadata().setAnnotations(touched);
                    return md;
                }) != null);
        writes.assertOnly(Duration.ofSeconds(3),
                "PATCH /apis/apps/v1/namespaces/" + ns + "/deployments/calm-stable",
                "PATCH /api/v1/namespaces/" + ns + "/services/calm",
                "PATCH /apis/modelops.dev/v1alpha1/namespaces/" + ns + "/modeldeployments/calm");
    }
}
