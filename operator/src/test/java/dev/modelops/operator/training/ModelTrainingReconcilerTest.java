package dev.modelops.operator.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.modelops.api.common.Dataset;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.training.TrainingPhase;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.ApiWrites;
import dev.modelops.operator.FakeJobController;
import dev.modelops.operator.common.Conditions;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;

/** The training controller against the mock API server, with a fake Job controller and kubelet writing status. */
@QuarkusTest
@WithKubernetesTestServer
class ModelTrainingReconcilerTest {

    static final String SHA = "c".repeat(64);

    @KubernetesTestServer
    KubernetesServer server;

    @Inject
    KubernetesClient client;

    FakeJobController kube;
    String ns;

    @BeforeEach
    void setUp() {
        kube = new FakeJobController(client, TrainingJobPlanner.CONTAINER);
        ns = client.getNamespace();
    }

    private ModelTraining create(ModelTraining training) {
        training.getMetadata().setNamespace(ns);
        training.getMetadata().setUid(null);
        training.getMetadata().setGeneration(null);
        return client.resource(training).create();
    }

    private ModelTraining get(String name) {
        return client.resources(ModelTraining.class).inNamespace(ns).withName(name).get();
    }

    private ModelTraining awaitPhase(String name, TrainingPhase phase) {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelTraining current = get(name);
            assertThat(current.getStatus()).isNotNull();
            assertThat(current.getStatus().getPhase()).isEqualTo(phase);
        });
        return get(name);
    }

    private Job awaitJob(String name) {
        await().atMost(Duration.ofSeconds(20)).until(() -> kube.job(ns, name) != null);
        return kube.job(ns, name);
    }

    private static String result(String model, String training, double accuracy) {
        return "{\"artifact\":{\"uri\":\"pvc://models/" + model + "/" + training + "/model.onnx\",\"sha256\":\"" + SHA
                + "\"},\"metrics\":{\"accuracy\":" + accuracy + ",\"testRows\":30}}";
    }

    @Test
    void aJobSeenCompleteBeforeItsPodReportsWaitsForTheResult() {
        create(Trainings.training("late", "late"));
        Job job = awaitJob("late");
        Runnable report = kube.completeBeforeThePodReports(job, kube.start(job), result("late", "late", 0.95));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelTraining waiting = get("late");
            assertThat(waiting.getStatus().getPhase()).isEqualTo(TrainingPhase.Running);
            assertThat(Conditions.find(waiting.getStatus().getConditions(), Conditions.READY).getReason())
                    .isEqualTo("AwaitingResult");
        });
        assertThat(client.resources(ModelVersion.class).inNamespace(ns).withName("late-v1").get()).isNull();
        report.run();
        ModelTraining done = awaitPhase("late", TrainingPhase.Succeeded);
        assertThat(done.getStatus().getModelVersion()).isEqualTo("late-v1");
        assertThat(done.getStatus().getMetrics()).containsEntry("accuracy", 0.95);
    }

    @Test
    void singlePodTrainingRunsAndProducesAVersionWithLineage() {
        ModelTraining training = Trainings.training("iris-one", "iris-one");
        Dataset data = new Dataset();
        data.setName("iris");
        data.setUri("https://example.com/iris.csv");
        training.getSpec().setDatasets(List.of(data));
        ModelTraining created = create(training);

        Job job = awaitJob("iris-one");
        assertThat(job.getSpec().getSuspend()).isFalse();
        assertThat(job.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo(created.getMetadata().getUid());
        awaitPhase("iris-one", TrainingPhase.Pending);

        List<Pod> pods = kube.start(job);
        ModelTraining running = awaitPhase("iris-one", TrainingPhase.Running);
        assertThat(running.getStatus().getAttempts()).isEqualTo(1);
        assertThat(running.getStatus().getWorkers().getActive()).isEqualTo(1);
        assertThat(Conditions.isTrue(running.getStatus().getConditions(), "Running")).isTrue();

        kube.succeed(job, pods, result("iris-one", "iris-one", 0.9667));
        ModelTraining done = awaitPhase("iris-one", TrainingPhase.Succeeded);
        assertThat(done.getStatus().getModelVersion()).isEqualTo("iris-one-v1");
        assertThat(done.getStatus().getMetrics()).containsEntry("accuracy", 0.9667);
        assertThat(done.getStatus().getCompletionTime()).isEqualTo("2026-11-22T10:07:00Z");
        assertThat(Conditions.isTrue(done.getStatus().getConditions(), Conditions.READY)).isTrue();
        assertThat(done.getStatus().getObservedGeneration()).isEqualTo(done.getMetadata().getGeneration());

        ModelVersion version = client.resources(ModelVersion.class).inNamespace(ns).withName("iris-one-v1").get();
        assertThat(version.getSpec().getModel()).isEqualTo("iris-one");
        assertThat(version.getSpec().getVersion()).isEqualTo(1);
        assertThat(version.getSpec().getArtifact().getUri()).isEqualTo("pvc://models/iris-one/iris-one/model.onnx");
        assertThat(version.getSpec().getArtifact().getSha256()).isEqualTo(SHA);
        assertThat(version.getSpec().getMetrics()).containsEntry("accuracy", 0.9667);
        assertThat(version.getSpec().getSource().getTraining()).isEqualTo("iris-one");
        assertThat(version.getSpec().getSource().getTrainingUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(version.getSpec().getSource().getTrainerImage()).isEqualTo(FakeJobController.IMAGE_ID);
        assertThat(version.getSpec().getSource().getDatasets()).extracting(Dataset::getUri)
                .containsExactly("https://example.com/iris.csv");
        assertThat(version.getSpec().getSource().getHyperparameters()).containsEntry("epochs", "300");
        assertThat(version.getMetadata().getOwnerReferences())
                .as("a version outlives its training").isNullOrEmpty();
        assertThat(version.getMetadata().getLabels()).containsEntry("modelops.dev/model", "iris-one");
    }

    @Test
    void aChangedTrainerEnvironmentIsReportedAndTheJobKeepsTheSpecItWasCreatedWith() {
        // trainer.env embeds Kubernetes' EnvVar, which no CEL rule compares (its strings are unbounded): the API
        // server lets the edit through, so the operator must say that it has no effect.
        ModelTraining training = Trainings.training("env-edit", "env-edit");
        training.getSpec().getTrainer().setEnv(List.of(new EnvVar("LEARNING_RATE", "0.1", null)));
        create(training);
        Job job = awaitJob("env-edit");
        kube.start(job);
        ModelTraining running = awaitPhase("env-edit", TrainingPhase.Running);
        assertThat(Conditions.find(running.getStatus().getConditions(), "SpecChanged").getStatus()).isEqualTo("False");

        running.getSpec().getTrainer().setEnv(List.of(new EnvVar("LEARNING_RATE", "0.5", null)));
        client.resource(running).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ModelTraining current = get("env-edit");
            assertThat(current.getStatus().getObservedGeneration()).isEqualTo(current.getMetadata().getGeneration());
            var changed = Conditions.find(current.getStatus().getConditions(), "SpecChanged");
            assertThat(changed.getStatus()).isEqualTo("True");
            assertThat(changed.getReason()).isEqualTo("ImmutableFieldChanged");
            assertThat(changed.getMessage()).contains("trainer.env").contains("create a new ModelTraining");
            assertThat(current.getStatus().getPhase()).isEqualTo(TrainingPhase.Running);
        });
        assertThat(kube.job(ns, "env-edit").getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
                .as("the running Job keeps the environment it was created with")
                .contains(new EnvVar("LEARNING_RATE", "0.1", null));

        ModelTraining edited = get("env-edit");
        edited.getSpec().getTrainer().setEnv(List.of(new EnvVar("LEARNING_RATE", "0.1", null)));
        client.resource(edited).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Conditions.find(get("env-edit").getStatus().getConditions(), "SpecChanged").getStatus())
                .as("reverting the edit clears the condition").isEqualTo("False"));
    }

    @Test
    void distributedTrainingOnAQueueWaitsForAdmissionThenRuns() {
        ModelTraining training = Trainings.training("ddp", "ddp-model");
        training.getSpec().setWorkers(4);
        training.getSpec().setGpus(2);
        training.getSpec().setQueue("gpu-team-a");
        create(training);

        Job job = awaitJob("ddp");
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-team-a");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> client.services().inNamespace(ns).withName("ddp").get() != null);
        Service service = client.services().inNamespace(ns).withName("ddp").get();
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        ModelTraining queued = awaitPhase("ddp", TrainingPhase.Queued);
        assertThat(Conditions.find(queued.getStatus().getConditions(), "Suspended").getReason())
                .isEqualTo("WaitingForAdmission");

        // Kueue admits the gang: it unsuspends the Job. The operator must not suspend it again.
        job = kube.job(ns, "ddp");
        job.getSpec().setSuspend(false);
        job = client.resource(job).update();
        List<Pod> pods = kube.start(job);
        ModelTraining running = awaitPhase("ddp", TrainingPhase.Running);
        assertThat(running.getStatus().getWorkers().getActive()).isEqualTo(4);
        assertThat(kube.job(ns, "ddp").getSpec().getSuspend()).isFalse();

        kube.succeed(kube.job(ns, "ddp"), pods, result("ddp-model", "ddp", 0.91));
        assertThat(awaitPhase("ddp", TrainingPhase.Succeeded).getStatus().getModelVersion()).isEqualTo("ddp-model-v1");
    }

    @Test
    void suspendStopsTheJobAndResumeRestartsIt() {
        create(Trainings.training("pausable", "pausable"));
        Job job = awaitJob("pausable");
        kube.start(job);
        awaitPhase("pausable", TrainingPhase.Running);

        ModelTraining training = get("pausable");
        training.getSpec().setSuspend(true);
        client.resource(training).update();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Boolean.TRUE.equals(kube.job(ns, "pausable").getSpec().getSuspend()));
        ModelTraining suspended = awaitPhase("pausable", TrainingPhase.Suspended);
        assertThat(suspended.getStatus().getObservedGeneration()).isEqualTo(suspended.getMetadata().getGeneration());

        training = get("pausable");
        training.getSpec().setSuspend(false);
        client.resource(training).update();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> Boolean.FALSE.equals(kube.job(ns, "pausable").getSpec().getSuspend()));
        assertThat(kube.job(ns, "pausable").getMetadata().getAnnotations())
                .doesNotContainKey(ModelTrainingReconciler.SUSPENDED_BY_USER);
    }

    @Test
    void failureAfterRetriesReportsTheReasonAndTheWorkersMessage() {
        ModelTraining training = Trainings.training("flaky", "flaky");
        training.getSpec().setMaxRetries(2);
        create(training);
        Job job = awaitJob("flaky");
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(2);
        List<Pod> pods = kube.start(job);
        kube.fail(job, pods, 3, "CUDA out of memory. Tried to allocate 2.00 GiB");

        ModelTraining failed = awaitPhase("flaky", TrainingPhase.Failed);
        var condition = Conditions.find(failed.getStatus().getConditions(), "Failed");
        assertThat(condition.getStatus()).isEqualTo("True");
        assertThat(condition.getReason()).isEqualTo("BackoffLimitExceeded");
        assertThat(condition.getMessage()).contains("CUDA out of memory").contains("exit code 1");
        assertThat(failed.getStatus().getAttempts()).isEqualTo(3);
        assertThat(failed.getStatus().getModelVersion()).isNull();
    }

    @Test
    void malformedOrMissingResultFailsWithAReason() {
        create(Trainings.training("garbled", "garbled"));
        create(Trainings.training("silent", "silent"));
        Job garbled = awaitJob("garbled");
        Job silent = awaitJob("silent");
        kube.succeed(garbled, kube.start(garbled), "epoch 300 done, accuracy 0.97");
        kube.succeed(silent, kube.start(silent), null);

        var garbledCondition = Conditions.find(awaitPhase("garbled", TrainingPhase.Failed).getStatus().getConditions(),
                "Failed");
        assertThat(garbledCondition.getReason()).isEqualTo("InvalidResult");
        assertThat(garbledCondition.getMessage()).contains("not JSON").contains("epoch 300 done");
        var silentCondition = Conditions.find(awaitPhase("silent", TrainingPhase.Failed).getStatus().getConditions(),
                "Failed");
        assertThat(silentCondition.getReason()).isEqualTo("MissingResult");
        assertThat(client.resources(ModelVersion.class).inNamespace(ns).list().getItems())
                .noneMatch(v -> v.getSpec().getModel().equals("garbled") || v.getSpec().getModel().equals("silent"));
    }

    @Test
    void concurrentTrainingsOfOneModelGetDistinctVersions() {
        List<String> names = List.of("twin-a", "twin-b", "twin-c");
        List<Job> jobs = new ArrayList<>();
        List<List<Pod>> pods = new ArrayList<>();
        names.forEach(n -> create(Trainings.training(n, "twins")));
        for (String n : names) {
            Job job = awaitJob(n);
            jobs.add(job);
            pods.add(kube.start(job));
        }
        for (int i = 0; i < names.size(); i++) {
            kube.succeed(jobs.get(i), pods.get(i), result("twins", names.get(i), 0.9));
        }
        List<String> versions = new ArrayList<>();
        for (String n : names) {
            versions.add(awaitPhase(n, TrainingPhase.Succeeded).getStatus().getModelVersion());
        }
        assertThat(versions).containsExactlyInAnyOrder("twins-v1", "twins-v2", "twins-v3");
        assertThat(client.resources(ModelVersion.class).inNamespace(ns).list().getItems())
                .filteredOn(v -> "twins".equals(v.getSpec().getModel()))
                .extracting(v -> v.getSpec().getVersion()).containsExactlyInAnyOrder(1, 2, 3);
    }

    @Test
    void resyncOfAFinishedTrainingWritesNothing() throws Exception {
        create(Trainings.training("settled", "settled"));
        Job job = awaitJob("settled");
        kube.succeed(job, kube.start(job), result("settled", "settled", 0.95));
        awaitPhase("settled", TrainingPhase.Succeeded);
        Thread.sleep(500); // let the success pass's own writes land before counting

        ApiWrites writes = new ApiWrites(server);
        writes.reset();
        // An event on the Job always reaches the reconciler (a label-only change of the training would be filtered
        // out by generation awareness), so this is a real resync of a finished training.
        Job settledJob = kube.job(ns, "settled");
        settledJob.getMetadata().getLabels().put("touched", "yes");
        client.resource(settledJob).update();
        writes.assertOnly(Duration.ofSeconds(2), "PUT /apis/batch/v1/namespaces/" + ns + "/jobs/settled");
    }
}
