package dev.modelops.operator.version;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Artifact;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.operator.common.KubeNames;
import dev.modelops.operator.common.OwnedLabels;
import dev.modelops.operator.common.PodSecurity;
import dev.modelops.operator.common.StorageLocation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/**
 * Pure: the short Job that validates a version with the runtime image's {@code validate} command, through the same
 * fetch path the inference pods use, so a version that validates is one that can be served.
 */
public final class ValidationJobPlanner {

    public static final String CONTAINER = "validate";
    public static final String COMPONENT = "validation";
    public static final String LABEL_ATTEMPT = ModelOps.GROUP + "/validation-attempt";
    /** Which round of validation: the first one, or one asked for by a new modelops.dev/revalidate value. */
    public static final String LABEL_ROUND = ModelOps.GROUP + "/validation-round";
    static final String FIRST_ROUND = "initial";
    static final String TERMINATION_LOG = RuntimeContract.TERMINATION_LOG;

    private ValidationJobPlanner() {
    }

    /**
     * Each round of validation has Jobs of its own names, so a revalidation never finds the Job (and the result) of
     * an earlier round: {@code <version>-validate-<attempt>} first, then {@code <version>-validate-<round>-<attempt>}.
     */
    public static String jobName(ModelVersion version, String revalidateToken, int attempt) {
        String round = round(revalidateToken);
        return KubeNames.fit(version.getMetadata().getName() + "-validate-"
                + (round.equals(FIRST_ROUND) ? "" : round + "-") + attempt, 63);
    }

    /** A short, label-safe name of the round a revalidate token starts. */
    public static String round(String revalidateToken) {
        return revalidateToken == null ? FIRST_ROUND : "r" + KubeNames.sha256(revalidateToken).substring(0, 8);
    }

    /** The runtime's command line for validating an artifact; the runtime documents these flags. */
    static List<String> validateArgs(Artifact artifact) {
        List<String> args = new ArrayList<>(List.of(RuntimeContract.COMMAND_VALIDATE, RuntimeContract.FLAG_URI,
                artifact.getUri()));
        if (artifact.getSha256() != null) {
            args.add(RuntimeContract.FLAG_SHA256);
            args.add(artifact.getSha256());
        }
        args.add(RuntimeContract.FLAG_TERMINATION_LOG);
        args.add(TERMINATION_LOG);
        return args;
    }

    public static Job desiredJob(ModelVersion version, String revalidateToken, int attempt, String runtimeImage,
            long timeoutSeconds) {
        Artifact artifact = version.getSpec().getArtifact();
        Map<String, String> labels = OwnedLabels.standard(COMPONENT, version.getMetadata().getName(),
                version.getSpec().getModel());
        labels.put(ModelOps.LABEL_VERSION, String.valueOf(version.getSpec().getVersion()));
        labels.put(LABEL_ATTEMPT, Integer.toString(attempt));
        labels.put(LABEL_ROUND, round(revalidateToken));

        List<Volume> volumes = new ArrayList<>(List.of(PodSecurity.tmpVolume()));
        List<VolumeMount> mounts = new ArrayList<>(List.of(PodSecurity.tmpMount()));
        StorageLocation location = StorageLocation.parse(artifact.getUri());
        if (location.isPvc()) {
            volumes.add(location.volume(true));
            mounts.add(location.mount(true));
        }
        ContainerBuilder container = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(runtimeImage)
                .withArgs(validateArgs(artifact))
                .withVolumeMounts(mounts)
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePath(TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withNewResources()
                .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("100m"))
                .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("256Mi"))
                .endResources();
        if (artifact.getCredentialsSecret() != null) {
            // Credentials reach the container as environment only; they are never copied anywhere else.
            container.withEnvFrom(new EnvFromSourceBuilder().withNewSecretRef()
                    .withName(artifact.getCredentialsSecret()).endSecretRef().build());
        }
        if (version.getSpec().getWarmupInput() != null && !version.getSpec().getWarmupInput().isBlank()) {
            container.addNewEnv().withName(RuntimeContract.ENV_WARMUP_REQUEST)
                    .withValue(version.getSpec().getWarmupInput()).endEnv();
        }
        Container validate = container.build();

        return new JobBuilder()
                .withNewMetadata()
                .withName(jobName(version, revalidateToken, attempt))
                .withNamespace(version.getMetadata().getNamespace())
                .withLabels(labels)
                .withOwnerReferences(OwnedLabels.controllerReference(version))
                .endMetadata()
                .withNewSpec()
                .withBackoffLimit(0) // the controller retries transient failures itself, with its own backoff
                .withActiveDeadlineSeconds(timeoutSeconds)
                .withNewTemplate()
                .withNewMetadata().withLabels(labels).endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withSecurityContext(PodSecurity.pod())
                .withContainers(validate)
                .withVolumes(volumes)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }
}
