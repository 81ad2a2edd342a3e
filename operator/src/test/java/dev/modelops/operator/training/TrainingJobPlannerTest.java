package dev.modelops.operator.training;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.modelops.api.common.Dataset;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.training.TrainingPodTemplate;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

class TrainingJobPlannerTest {

    private static Map<String, EnvVar> env(Job job) {
        return container(job).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, e -> e));
    }

    private static Container container(Job job) {
        return job.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    @Test
    void singleWorkerIsOnePodJobWithTheTrainerContract() {
        ModelTraining training = Trainings.training("iris-cpu", "iris");
        Job job = TrainingJobPlanner.desiredJob(training);

        assertThat(job.getMetadata().getName()).isEqualTo("iris-cpu");
        assertThat(job.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-iris-cpu"));
        assertThat(job.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "modelops")
                .containsEntry("modelops.dev/model", "iris").containsEntry("modelops.dev/training", "iris-cpu");
        assertThat(job.getSpec().getCompletions()).isEqualTo(1);
        assertThat(job.getSpec().getParallelism()).isEqualTo(1);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("NonIndexed");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getSuspend()).isFalse();
        assertThat(TrainingJobPlanner.desiredService(training)).isEmpty();

        Map<String, EnvVar> env = env(job);
        assertThat(env.get("MODELOPS_MODEL").getValue()).isEqualTo("iris");
        assertThat(env.get("MODELOPS_TRAINING").getValue()).isEqualTo("iris-cpu");
        assertThat(env.get("MODELOPS_OUTPUT_URI").getValue()).isEqualTo("pvc://models/iris");
        assertThat(env.get("MODELOPS_OUTPUT_DIR").getValue()).isEqualTo("/mnt/pvc/models/iris");
        assertThat(env.get("MODELOPS_HYPERPARAMETERS").getValue()).isEqualTo("{\"epochs\":\"300\"}");
        assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("1");
        assertThat(env.get("RANK").getValue()).isEqualTo("0");
        assertThat(env.get("MASTER_ADDR").getValue()).isEqualTo("localhost");

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container trainer = container(job);
        assertThat(trainer.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(trainer.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(trainer.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(trainer.getTerminationMessagePolicy()).isEqualTo("FallbackToLogsOnError");
        assertThat(trainer.getVolumeMounts()).extracting(m -> m.getMountPath()).contains("/tmp", "/mnt/pvc/models");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName()).containsExactly("models");
        assertThat(pod.getTolerations()).isEmpty();
        assertThat(trainer.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
    }

    @Test
    void distributedGpuTrainingIsAnIndexedGangWithTorchrunEnvironment() {
        ModelTraining training = Trainings.training("fraud-ddp", "fraud");
        training.getSpec().setWorkers(4);
        training.getSpec().setGpus(8);
        training.getSpec().setGpuProduct("NVIDIA-H100-80GB-HBM3");
        training.getSpec().setQueue("gpu-team-a");
        training.getSpec().setMaxRetries(3);
        training.getSpec().setActiveDeadlineSeconds(3600L);

        Job job = TrainingJobPlanner.desiredJob(training);
        assertThat(job.getSpec().getCompletionMode()).isEqualTo("Indexed");
        assertThat(job.getSpec().getCompletions()).isEqualTo(4);
        assertThat(job.getSpec().getParallelism()).isEqualTo(4);
        assertThat(job.getSpec().getBackoffLimit()).isEqualTo(3);
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(3600L);
        assertThat(job.getSpec().getSuspend()).as("created suspended for Kueue").isTrue();
        assertThat(job.getMetadata().getLabels()).containsEntry("kueue.x-k8s.io/queue-name", "gpu-team-a");

        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getSubdomain()).isEqualTo("fraud-ddp");
        assertThat(pod.getNodeSelector()).containsEntry("nvidia.com/gpu.product", "NVIDIA-H100-80GB-HBM3");
        assertThat(pod.getTolerations()).containsExactly(new TolerationBuilder().withKey("nvidia.com/gpu")
                .withOperator("Exists").withEffect("NoSchedule").build());
        assertThat(container(job).getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("8"));

        Map<String, EnvVar> env = env(job);
        assertThat(env.get("MASTER_ADDR").getValue()).isEqualTo("fraud-ddp-0.fraud-ddp");
        assertThat(env.get("PET_MASTER_ADDR").getValue()).isEqualTo("fraud-ddp-0.fraud-ddp");
        assertThat(env.get("MASTER_PORT").getValue()).isEqualTo("29500");
        assertThat(env.get("PET_NNODES").getValue()).isEqualTo("4");
        assertThat(env.get("PET_NPROC_PER_NODE").getValue()).as("one process per GPU").isEqualTo("8");
        assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("32");
        assertThat(env).as("torchrun assigns global ranks when a pod runs several processes")
                .doesNotContainKey("RANK");
        assertThat(env.get("NODE_RANK").getValueFrom().getFieldRef().getFieldPath())
                .isEqualTo("metadata.annotations['batch.kubernetes.io/job-completion-index']");
        assertThat(env.get("PET_NODE_RANK").getValueFrom()).isEqualTo(env.get("NODE_RANK").getValueFrom());

        Service service = TrainingJobPlanner.desiredService(training).orElseThrow();
        assertThat(service.getMetadata().getName()).isEqualTo("fraud-ddp");
        assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
        assertThat(service.getMetadata().getOwnerReferences()).singleElement()
                .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-fraud-ddp"));
        assertThat(service.getSpec().getPublishNotReadyAddresses()).isTrue();
        assertThat(service.getSpec().getSelector()).containsEntry("modelops.dev/training", "fraud-ddp");
        assertThat(service.getSpec().getPorts().get(0).getPort()).isEqualTo(29500);
    }

    @Test
    void onePodPerRankGetsRankFromTheCompletionIndex() {
        ModelTraining training = Trainings.training("ddp", "m");
        training.getSpec().setWorkers(2);
        Map<String, EnvVar> env = env(TrainingJobPlanner.desiredJob(training));
        assertThat(env.get("WORLD_SIZE").getValue()).isEqualTo("2");
        assertThat(env.get("RANK").getValueFrom().getFieldRef().getFieldPath())
                .contains("batch.kubernetes.io/job-completion-index");
    }

    @Test
    void podTemplateOverridesDatasetsAndCredentialsAreApplied() {
        ModelTraining training = Trainings.training("t", "m");
        TrainingPodTemplate template = new TrainingPodTemplate();
        template.setNodeSelector(Map.of("pool", "train"));
        template.setPriorityClassName("high");
        template.setServiceAccountName("trainer");
        template.setTolerations(List.of(new TolerationBuilder().withKey("dedicated").withOperator("Exists").build()));
        template.setLabels(Map.of("team", "a"));
        training.getSpec().setPodTemplate(template);
        training.getSpec().getOutput().setCredentialsSecret("writer");
        Dataset data = new Dataset();
        data.setName("train-data");
        data.setUri("pvc://datasets/iris.csv");
        Dataset remote = new Dataset();
        remote.setName("extra");
        remote.setUri("s3://bucket/extra.csv");
        training.getSpec().setDatasets(List.of(data, remote));
        training.getSpec().setSuspend(true);

        Job job = TrainingJobPlanner.desiredJob(training);
        PodSpec pod = job.getSpec().getTemplate().getSpec();
        assertThat(job.getSpec().getSuspend()).isTrue();
        assertThat(pod.getNodeSelector()).containsEntry("pool", "train");
        assertThat(pod.getPriorityClassName()).isEqualTo("high");
        assertThat(pod.getServiceAccountName()).isEqualTo("trainer");
        assertThat(pod.getTolerations()).extracting(t -> t.getKey()).containsExactly("dedicated");
        assertThat(job.getSpec().getTemplate().getMetadata().getLabels()).containsEntry("team", "a")
                .containsEntry("modelops.dev/training", "t");
        assertThat(container(job).getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("writer");
        Map<String, EnvVar> env = env(job);
        assertThat(env.get("MODELOPS_DATASET_TRAIN_DATA").getValue()).isEqualTo("/mnt/pvc/datasets/iris.csv");
        assertThat(env.get("MODELOPS_DATASET_EXTRA").getValue()).isEqualTo("s3://bucket/extra.csv");
        assertThat(env.get("MODELOPS_DATASETS").getValue()).contains("\"name\":\"train-data\"");
        assertThat(pod.getVolumes()).filteredOn(v -> v.getPersistentVolumeClaim() != null)
                .extracting(v -> v.getPersistentVolumeClaim().getClaimName() + ":"
                        + v.getPersistentVolumeClaim().getReadOnly())
                .containsExactly("models:false", "datasets:true");
    }

    @Test
    void reservedEnvironmentIsASpecError() {
        ModelTraining training = Trainings.training("t", "m");
        training.getSpec().getTrainer().setEnv(List.of(new EnvVarBuilder().withName("MODELOPS_MODEL")
                .withValue("x").build()));
        assertThat(TrainingJobPlanner.specErrors(training))
                .containsExactly("spec.trainer.env: MODELOPS_MODEL is reserved for the operator");
    }
}
