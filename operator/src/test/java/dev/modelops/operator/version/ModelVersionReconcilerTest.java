package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.deployment.TrackStatus;
import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.ApiWrites;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The version controller against the mock API server; a fake Job controller plays the validation pod. */
@QuarkusTest
@WithKubernetesTestServer
class ModelVersionReconcilerTest {

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    FakeJobController kube;
    String ns;

    @BeforeEach
    void setUp() {
        kube = new FakeJobController(client, ValidationJobPlanner.CONTAINER);
        ns = client.getNamespace();
    }

    private void create(String model, int number) {
        ModelVersion version = Versions.version(model, number);
        version.getMetadata().setNamespace(ns);
        version.getMetadata().setUid(null);
        version.getMetadata().setGeneration(null);
        client.resource(version).create();
    }

    private ModelVersion get(String name) {
        return client.resources(ModelVersion.class).inNamespace(ns).withName(name).get();
    }

    private Job awaitJob(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> kube.job(ns, name) != null);
        return kube.job(ns, name);
    }

    private ModelVersion awaitPhase(String name, VersionPhase phase) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelVersion v = get(name);
            assertThat(v.getStatus()).isNotNull();
            assertThat(v.getStatus().getPhase()).isEqualTo(phase);
        });
        return get(name);
    }

    private static String reason(ModelVersion v) {
        return Conditions.find(v.getStatus().getConditions(), Conditions.READY).getReason();
    }

    @Test
    void aGoodArtifactBecomesReadyWithItsSignature() {
        create("good", 1);
        Job job = awaitJob("good-v1-validate-1");
        assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getArgs())
                .startsWith("validate", "--uri", "pvc://models/good/v1/model.onnx");
        assertThat(awaitPhase("good-v1", VersionPhase.Validating).getStatus().getValidation().getJob())
                .isEqualTo("good-v1-validate-1");

        kube.succeed(job, kube.start(job), Versions.okReport());
        ModelVersion ready = awaitPhase("good-v1", VersionPhase.Ready);
        assertThat(reason(ready)).isEqualTo("Validated");
        assertThat(ready.getStatus().getSignature().getInputs().get(0).getDatatype()).isEqualTo("FP32");
        assertThat(ready.getStatus().getValidation().getSha256()).isEqualTo(Versions.SHA);
        assertThat(ready.getStatus().getValidation().getSha256Verified()).isTrue();
        assertThat(ready.getMetadata().getFinalizers()).isNotEmpty();
    }

    @Test
    void aJobSeenCompleteBeforeItsPodReportsWaitsForTheReport() {
        create("ordered", 1);
        Job job = awaitJob("ordered-v1-validate-1");
        Runnable report = kube.completeBeforeThePodReports(job, kube.start(job), Versions.okReport());
        // The reconciler has seen the Job finished without a result: it waits, and says for what.
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(Conditions.find(get("ordered-v1")
                .getStatus().getConditions(), Conditions.READY).getMessage()).contains(
                        "waiting for its pod ordered-v1-validate-1-")
                .contains("to report the result"));
        assertThat(get("ordered-v1").getStatus().getPhase()).isEqualTo(VersionPhase.Validating);
        report.run();
        ModelVersion ready = awaitPhase("ordered-v1", VersionPhase.Ready);
        assertThat(reason(ready)).isEqualTo("Validated");
        assertThat(ready.getStatus().getValidation().getSha256()).isEqualTo(Versions.SHA);
    }

    @Test
    void aValidationJobDeletedBeforeItFinishedIsCreatedAgain() {
        create("orphaned", 1);
        Job first = awaitJob("orphaned-v1-validate-1");
        kube.start(first);
        // What `kubectl delete job orphaned-v1-validate-1` (or a TTL a cluster policy adds) does mid-validation.
        client.resource(first).withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND)
                .delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Job again = kube.job(ns, "orphaned-v1-validate-1");
            return again != null && !again.getMetadata().getUid().equals(first.getMetadata().getUid());
        });
        Job second = kube.job(ns, "orphaned-v1-validate-1");
        assertThat(get("orphaned-v1").getStatus().getValidation().getAttempts()).as("the same attempt").isEqualTo(1);
        kube.succeed(second, kube.start(second), Versions.okReport());
        assertThat(reason(awaitPhase("orphaned-v1", VersionPhase.Ready))).isEqualTo("Validated");
    }

    @Test
    void aChecksumMismatchIsFinal() {
        create("tampered", 1);
        Job job = awaitJob("tampered-v1-validate-1");
        kube.fail(job, kube.start(job), 1, Versions.failure("ChecksumMismatch",
                "sha256 of the fetched file is eeee, spec.artifact.sha256 is dddd"));
        ModelVersion failed = awaitPhase("tampered-v1", VersionPhase.Failed);
        assertThat(reason(failed)).isEqualTo("ChecksumMismatch");
        assertThat(failed.getStatus().getValidation().getAttempts()).isEqualTo(1);
        assertThat(kube.job(ns, "tampered-v1-validate-2")).isNull();
    }

    @Test
    void anUnreachableStoreIsRetriedAndThenSucceeds() {
        create("flaky", 1);
        Job first = awaitJob("flaky-v1-validate-1");
        kube.fail(first, kube.start(first), 1, Versions.failure("ArtifactUnreachable", "connection refused"));
        Job second = awaitJob("flaky-v1-validate-2");
        assertThat(get("flaky-v1").getStatus().getPhase()).isEqualTo(VersionPhase.Validating);
        kube.succeed(second, kube.start(second), Versions.okReport());
        ModelVersion ready = awaitPhase("flaky-v1", VersionPhase.Ready);
        assertThat(ready.getStatus().getValidation().getAttempts()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(10)).until(() -> kube.job(ns, "flaky-v1-validate-1") == null);
    }

    @Test
    void annotatingAFailedVersionValidatesItAgainThroughTheReconciler() {
        create("fixed", 1);
        Job first = awaitJob("fixed-v1-validate-1");
        kube.fail(first, kube.start(first), 1, Versions.failure("ArtifactNotFound", "no object at the URI"));
        awaitPhase("fixed-v1", VersionPhase.Failed);

        // What `kubectl annotate mv fixed-v1 modelops.dev/revalidate=1` does: an annotation, no new generation.
        client.resources(ModelVersion.class).inNamespace(ns).withName("fixed-v1").edit(v -> {
            v.getMetadata().setAnnotations(java.util.Map.of(dev.modelops.api.ModelOps.ANNOTATION_REVALIDATE, "1"));
            return v;
        });
        String round = ValidationJobPlanner.jobName(get("fixed-v1"), "1", 1);
        assertThat(round).isNotEqualTo("fixed-v1-validate-1");
        Job second = awaitJob(round);
        assertThat(get("fixed-v1").getStatus().getPhase()).isEqualTo(VersionPhase.Validating);
        kube.succeed(second, kube.start(second), Versions.okReport());
        ModelVersion ready = awaitPhase("fixed-v1", VersionPhase.Ready);
        assertThat(ready.getStatus().getValidation().getJob()).isEqualTo(round);
        assertThat(ready.getStatus().getValidation().getRevalidateToken()).isEqualTo("1");
        await().atMost(Duration.ofSeconds(10)).until(() -> kube.job(ns, "fixed-v1-validate-1") == null);
        assertThat(client.v1().events().inNamespace(ns).list().getItems().stream()
                .filter(e -> "fixed-v1".equals(e.getInvolvedObject().getName()))
                .map(io.fabric8.kubernetes.api.model.Event::getReason)).contains("ArtifactNotFound", "Validated");

        // The same value again is not a new request.
        client.resources(ModelVersion.class).inNamespace(ns).withName("fixed-v1").edit(v -> {
            v.getMetadata().getLabels();
            v.getMetadata().setAnnotations(java.util.Map.of(dev.modelops.api.ModelOps.ANNOTATION_REVALIDATE, "1",
                    "note", "unrelated"));
            return v;
        });
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> get("fixed-v1").getStatus()
                .getPhase() == VersionPhase.Ready);
    }

    @Test
    void aConcurrentRejectionSurvivesTheControllersStatusWrites() {
        create("contested", 1);
        Job job = awaitJob("contested-v1-validate-1");
        java.util.List<io.fabric8.kubernetes.api.model.Pod> pods = kube.start(job);
        // The rollout code rejects the version while the controller is validating it.
        new VersionRejections(client).reject(ns, "contested-v1", "md-a", java.time.Instant.now(), "AnalysisFailed",
                "error rate 0.2 above 0.01", java.util.List.of());
        kube.succeed(job, pods, Versions.okReport());
        ModelVersion ready = awaitPhase("contested-v1", VersionPhase.Ready);
        assertThat(ready.getStatus().getRejections()).extracting(r -> r.getDeployment()).containsExactly("md-a");
    }

    @Test
    void aValidationThatTimesOutFailsTheVersion() {
        create("slow", 1);
        Job job = awaitJob("slow-v1-validate-1");
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300L);
        kube.fail(job, kube.start(job), 1, null, "DeadlineExceeded", "Job was active longer than specified deadline");
        assertThat(reason(awaitPhase("slow-v1", VersionPhase.Failed))).isEqualTo("ValidationTimedOut");
    }

    @Test
    void aMalformedTerminationMessageIsReported() {
        create("garbled", 1);
        Job job = awaitJob("garbled-v1-validate-1");
        kube.succeed(job, kube.start(job), "validated OK!");
        ModelVersion failed = awaitPhase("garbled-v1", VersionPhase.Failed);
        assertThat(reason(failed)).isEqualTo("InvalidValidationResult");
        assertThat(Conditions.find(failed.getStatus().getConditions(), Conditions.READY).getMessage())
                .contains("validated OK!");
    }

    @Test
    void deletingAServedVersionWaitsUntilNothingServesIt() {
        create("served", 1);
        Job job = awaitJob("served-v1-validate-1");
        kube.succeed(job, kube.start(job), Versions.okReport());
        awaitPhase("served-v1", VersionPhase.Ready);

        create("served", 2);
        Job second = awaitJob("served-v2-validate-1");
        kube.succeed(second, kube.start(second), Versions.okReport());
        awaitPhase("served-v2", VersionPhase.Ready);

        // A deployment serves v1 (the deployment controller writes its status; no pod needs to run for that here).
        ModelDeployment deployment = new ModelDeployment();
        deployment.setMetadata(new ObjectMetaBuilder().withName("served-md").withNamespace(ns).build());
        ModelDeploymentSpec spec = new ModelDeploymentSpec();
        spec.setModel("served");
        spec.setVersion(1);
        dev.modelops.api.deployment.RolloutSpec rollout = new dev.modelops.api.deployment.RolloutSpec();
        rollout.setStrategy(dev.modelops.api.deployment.RolloutStrategy.Immediate);
        spec.setRollout(rollout);
        deployment.setSpec(spec);
        client.resource(deployment).create();
        try (dev.modelops.operator.FakeDeploymentController pods = new dev.modelops.operator.FakeDeploymentController(
                client)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                ModelDeployment md = client.resources(ModelDeployment.class).inNamespace(ns).withName("served-md")
                        .get();
                return md.getStatus() != null && md.getStatus().getStable() != null && "served-v1".equals(md
                        .getStatus().getStable().getModelVersion());
            });

            client.resources(ModelVersion.class).inNamespace(ns).withName("served-v1").delete();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                ModelVersion held = get("served-v1");
                assertThat(held).isNotNull();
                assertThat(held.getMetadata().getDeletionTimestamp()).isNotNull();
                assertThat(held.getStatus().getDeployments()).extracting(DeploymentReference::getName,
                        DeploymentReference::getTrack).containsExactly(
                                org.assertj.core.groups.Tuple.tuple("served-md", "stable"));
                assertThat(Conditions.find(held.getStatus().getConditions(), VersionStatusPlanner.IN_USE)
                        .getMessage()).contains("deletion waits").contains("served-md (stable)");
            });

            // Git moves the deployment to v2: once v2 serves, nothing holds v1 and its deletion completes.
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> client.resources(
                    ModelDeployment.class).inNamespace(ns).withName("served-md").edit(md -> {
                        md.getSpec().setVersion(2);
                        return md;
                    }) != null);
            await().atMost(Duration.ofSeconds(30)).until(() -> get("served-v1") == null);
        }
    }

    @Test
    void resyncOfAReadyVersionWritesNothing() throws Exception {
        create("calm", 1);
        Job job = awaitJob("calm-v1-validate-1");
        kube.succeed(job, kube.start(job), Versions.okReport());
        awaitPhase("calm-v1", VersionPhase.Ready);
        Thread.sleep(500);
        ApiWrites writes = new ApiWrites(server);
        writes.reset();
        Job validation = kube.job(ns, "calm-v1-validate-1");
        validation.getMetadata().getLabels().put("touched", "yes");
        client.resource(validation).update();
        writes.assertOnly(Duration.ofSeconds(2), "PUT /apis/batch/v1/namespaces/" + ns + "/jobs/calm-v1-validate-1");
    }

}
