package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.modelops.api.version.ModelVersion;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

class ValidationJobPlannerTest {

    @Test
    void validatesThroughTheRuntimeFetchPathWithCredentialsAsEnvironmentOnly() {
        ModelVersion version = Versions.version("iris", 3);
        version.getSpec().getArtifact().setCredentialsSecret("models-reader");
        Job job = ValidationJobPlanner.desiredJob(version, null, 2, "runtime:1", 300);

        assertThat(job.getMetadata().getName()).isEqualTo("iris-v3-validate-2");
        assertThat(job.getMetadata().getOwnerReferences().get(0).getUid()).isEqualTo("uid-iris3");
        assertThat(job.getMetadata().getLabels()).containsEntry(ValidationJobPlanner.LABEL_ATTEMPT, "2")
                .containsEntry("app.kubernetes.io/instance", "iris-v3").containsEntry("modelops.dev/version", "3");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(300L);

        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo("runtime:1");
        assertThat(c.getArgs()).containsExactly("validate", "--uri", "pvc://models/iris/v3/model.onnx", "--sha256",
                Versions.SHA, "--termination-log", "/dev/termination-log");
        assertThat(c.getEnvFrom().get(0).getSecretRef().getName()).isEqualTo("models-reader");
        assertThat(c.getEnv()).isNullOrEmpty();
        assertThat(c.getVolumeMounts()).extracting(m -> m.getMountPath() + (m.getReadOnly() == null ? "" : ":ro"))
                .containsExactly("/tmp", "/mnt/pvc/models:ro");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(job.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsNonRoot()).isTrue();
    }

    @Test
    void aWarmUpRequestOnTheVersionIsPassedToValidate() {
        ModelVersion version = Versions.version("iris", 4);
        version.getSpec().setWarmupInput("{\"inputs\":[]}");
        Container c = ValidationJobPlanner.desiredJob(version, null, 1, "runtime:1", 300).getSpec().getTemplate()
                .getSpec().getContainers().get(0);
        assertThat(c.getEnv()).extracting(e -> e.getName() + "=" + e.getValue())
                .containsExactly("MODELOPS_WARMUP_REQUEST={\"inputs\":[]}");
    }

    @Test
    void remoteArtifactsNeedNoVolumeAndUnsetDigestIsNotPassed() {
        ModelVersion version = Versions.version("iris", 1);
        version.getSpec().getArtifact().setUri("s3://models/iris/v1/model.onnx");
        version.getSpec().getArtifact().setSha256(null);
        Job job = ValidationJobPlanner.desiredJob(version, null, 1, "runtime:1", 60);
        Container c = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(c.getArgs()).doesNotContain("--sha256");
        assertThat(job.getSpec().getTemplate().getSpec().getVolumes()).extracting(v -> v.getName())
                .containsExactly("tmp");
    }
}
