package dev.modelops.operator.training;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Dataset;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.operator.common.KubeNames;
import dev.modelops.operator.common.OwnedLabels;
import dev.modelops.operator.common.PodSecurity;
import dev.modelops.operator.common.StorageLocation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;

/**
 * Pure: the Job (and, for distributed runs, the headless Service) a training needs. Knows nothing of the API
 * server; unit-tested by asserting the objects it builds.
 */
public final class TrainingJobPlanner {

    public static final String CONTAINER = "trainer";
    public static final String COMPONENT = "training";
    public static final int MASTER_PORT = 29500;
    public static final String KUEUE_QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    public static final String GPU_PRODUCT_LABEL = "nvidia.com/gpu.product";
    public static final String COMPLETION_INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
    /**
     * The hash of the spec (all but suspend) the Job was built from. The CRD's rules cannot cheaply compare the fields
     * that embed Kubernetes types (trainer.env, trainer.resources, most of podTemplate); a change to them is found here.
     */
    public static final String SPEC_HASH_ANNOTATION = ModelOps.GROUP + "/spec-hash";
    /** Map entries in key order, so that the hash does not depend on how a map was read. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    public static final String TERMINATION_LOG = "/dev/termination-log";
    /** Job names become pod host names "<job>-<index>", which must stay within a 63-character DNS label. */
    static final int MAX_JOB_NAME = 52;

    private static final ObjectMapper JSON = new ObjectMapper();

    private TrainingJobPlanner() {
    }

    public static String jobName(ModelTraining training) {
        return KubeNames.fit(training.getMetadata().getName(), MAX_JOB_NAME);
    }

    /** Spec errors the schema cannot catch; each is a message a person can act on. */
    public static List<String> specErrors(ModelTraining training) {
        TrainingSettings s = TrainingSettings.of(training.getSpec());
        List<String> errors = new ArrayList<>();
        if (s.trainer().getEnv() != null) {
            s.trainer().getEnv().stream().map(EnvVar::getName).filter(n -> n != null && n.startsWith("MODELOPS_"))
                    .forEach(n -> errors.add("spec.trainer.env: " + n + " is reserved for the operator"));
        }
        if (s.outputUri() != null && StorageLocation.parse(s.outputUri()).isPvc()
                && StorageLocation.parse(s.outputUri()).claim() == null) {
            errors.add("spec.output.uri: a pvc:// location needs a claim name");
        }
        return errors;
    }

    public static Map<String, String> labels(ModelTraining training) {
        Map<String, String> labels = OwnedLabels.standard(COMPONENT, training.getMetadata().getName(),
                training.getSpec().getModel());
        labels.put(ModelOps.LABEL_TRAINING, training.getMetadata().getName());
        return labels;
    }

    public static Job desiredJob(ModelTraining training) {
        TrainingSettings s = TrainingSettings.of(training.getSpec());
        String name = jobName(training);
        Map<String, String> jobLabels = labels(training);
        if (s.queue() != null) {
            jobLabels.put(KUEUE_QUEUE_LABEL, s.queue());
        }
        Map<String, String> podLabels = new LinkedHashMap<>();
        if (s.podTemplate().getLabels() != null) {
            podLabels.putAll(s.podTemplate().getLabels());
        }
        podLabels.putAll(labels(training));

        return new JobBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(training.getMetadata().getNamespace())
                .withLabels(jobLabels)
                .withAnnotations(Map.of(SPEC_HASH_ANNOTATION, specHash(training)))
                .withOwnerReferences(OwnedLabels.controllerReference(training))
                .endMetadata()
                .withNewSpec()
                .withCompletions(s.workers())
                .withParallelism(s.workers())
                .withCompletionMode(s.distributed() ? "Indexed" : "NonIndexed")
                .withBackoffLimit(s.maxRetries())
                .withActiveDeadlineSeconds(s.activeDeadlineSeconds())
                // With a queue, Kueue admits the whole gang by unsuspending the Job; without one, only the user suspends.
                .withSuspend(s.suspend() || s.queue() != null)
                .withNewTemplate()
                .withNewMetadata()
                .withLabels(podLabels)
                .withAnnotations(s.podTemplate().getAnnotations())
                .endMetadata()
                .withSpec(podSpec(training, s, name))
                .endTemplate()
                .endSpec()
                .build();
    }

    /** A short hash of everything in spec but suspend (the only field that may change). */
    public static String specHash(ModelTraining training) {
        try {
            ObjectNode spec = CANONICAL.valueToTree(training.getSpec());
            spec.remove("suspend");
            return KubeNames.sha256(CANONICAL.writeValueAsString(spec)).substring(0, 16);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the spec of " + training.getMetadata().getName(), e);
        }
    }

    public static Optional<Service> desiredService(ModelTraining training) {
        TrainingSettings s = TrainingSettings.of(training.getSpec());
        if (!s.distributed()) {
            return Optional.empty();
        }
        return Optional.of(new ServiceBuilder()
                .withNewMetadata()
                .withName(jobName(training))
                .withNamespace(training.getMetadata().getNamespace())
                .withLabels(labels(training))
                .withOwnerReferences(OwnedLabels.controllerReference(training))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                // Workers must find rank 0 before any of them is ready.
                .withPublishNotReadyAddresses(true)
                .withSelector(Map.of(ModelOps.LABEL_TRAINING, training.getMetadata().getName()))
                .addNewPort().withName("rendezvous").withPort(MASTER_PORT).endPort()
                .endSpec()
                .build());
    }

    private static PodSpec podSpec(ModelTraining training, TrainingSettings s, String jobName) {
        List<Volume> volumes = new ArrayList<>();
        List<VolumeMount> mounts = new ArrayList<>();
        volumes.add(PodSecurity.tmpVolume());
        mounts.add(PodSecurity.tmpMount());
        addPvcMounts(s, volumes, mounts);
        if (s.podTemplate().getVolumes() != null) {
            volumes.addAll(s.podTemplate().getVolumes());
        }
        if (s.podTemplate().getVolumeMounts() != null) {
            mounts.addAll(s.podTemplate().getVolumeMounts());
        }

        Map<String, String> nodeSelector = new LinkedHashMap<>();
        if (s.podTemplate().getNodeSelector() != null) {
            nodeSelector.putAll(s.podTemplate().getNodeSelector());
        }
        if (s.gpuProduct() != null) {
            nodeSelector.put(GPU_PRODUCT_LABEL, s.gpuProduct());
        }
        List<Toleration> tolerations = new ArrayList<>();
        if (s.gpus() > 0) {
            tolerations.add(new TolerationBuilder().withKey(s.gpuResourceName()).withOperator("Exists")
                    .withEffect("NoSchedule").build());
        }
        if (s.podTemplate().getTolerations() != null) {
            tolerations.addAll(s.podTemplate().getTolerations());
        }

        Container trainer = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(s.trainer().getImage())
                .withImagePullPolicy(s.trainer().getImagePullPolicy() == null
                        ? null
                        : s.trainer().getImagePullPolicy().name())
                .withCommand(s.trainer().getCommand())
                .withArgs(s.trainer().getArgs())
                .withEnv(environment(training, s, jobName))
                .withEnvFrom(credentials(s))
                .withResources(resources(s))
                .withVolumeMounts(mounts)
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePath(TERMINATION_LOG)
                // A trainer that crashes before writing its message still leaves the tail of its log as the reason.
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();

        return new PodSpecBuilder()
                .withRestartPolicy("Never")
                .withSubdomain(s.distributed() ? jobName : null)
                .withSecurityContext(PodSecurity.pod())
                .withServiceAccountName(s.podTemplate().getServiceAccountName())
                .withPriorityClassName(s.podTemplate().getPriorityClassName())
                .withNodeSelector(nodeSelector.isEmpty() ? null : nodeSelector)
                .withTolerations(tolerations)
                .withAffinity(s.podTemplate().getAffinity())
                .withImagePullSecrets(s.podTemplate().getImagePullSecrets())
                .withContainers(trainer)
                .withVolumes(volumes)
                .build();
    }

    /** Claims named by the output and by pvc:// datasets, each mounted once at /mnt/pvc/<claim>. */
    private static void addPvcMounts(TrainingSettings s, List<Volume> volumes, List<VolumeMount> mounts) {
        Map<String, Boolean> claims = new LinkedHashMap<>(); // claim -> read-only
        if (s.outputUri() != null && StorageLocation.parse(s.outputUri()).isPvc()) {
            claims.put(StorageLocation.parse(s.outputUri()).claim(), false);
        }
        for (Dataset d : s.datasets()) {
            StorageLocation location = StorageLocation.parse(d.getUri());
            if (location.isPvc()) {
                claims.putIfAbsent(location.claim(), true);
            }
        }
        claims.forEach((claim, readOnly) -> {
            StorageLocation location = new StorageLocation("pvc", claim, "");
            volumes.add(location.volume(readOnly));
            mounts.add(location.mount(readOnly));
        });
    }

    private static List<EnvVar> environment(ModelTraining training, TrainingSettings s, String jobName) {
        List<EnvVar> env = new ArrayList<>();
        env.add(env("MODELOPS_MODEL", s.model()));
        env.add(env("MODELOPS_TRAINING", training.getMetadata().getName()));
        env.add(env("MODELOPS_OUTPUT_URI", s.outputUri()));
        if (s.outputUri() != null && StorageLocation.parse(s.outputUri()).isPvc()) {
            env.add(env("MODELOPS_OUTPUT_DIR", StorageLocation.parse(s.outputUri()).localPath()));
        }
        env.add(env("MODELOPS_HYPERPARAMETERS", json(s.hyperparameters())));
        env.add(env("MODELOPS_DATASETS", json(s.datasets())));
        for (Dataset d : s.datasets()) {
            StorageLocation location = StorageLocation.parse(d.getUri());
            env.add(env("MODELOPS_DATASET_" + KubeNames.envName(d.getName()),
                    location.isPvc() ? location.localPath() : d.getUri()));
        }
        env.add(env("MODELOPS_TERMINATION_LOG", TERMINATION_LOG));
        env.add(env("MODELOPS_GPUS", Integer.toString(s.gpus())));

        // The torchrun contract: every worker finds rank 0 at "<job>-0.<service>", the Indexed Job's stable host name.
        String master = s.distributed() ? jobName + "-0." + jobName : "localhost";
        EnvVar nodeRank = s.distributed()
                ? new EnvVarBuilder().withName("NODE_RANK").withNewValueFrom().withNewFieldRef()
                        .withFieldPath("metadata.annotations['" + COMPLETION_INDEX_ANNOTATION + "']")
                        .endFieldRef().endValueFrom().build()
                : env("NODE_RANK", "0");
        env.add(nodeRank);
        env.add(env("MASTER_ADDR", master));
        env.add(env("MASTER_PORT", Integer.toString(MASTER_PORT)));
        env.add(env("WORLD_SIZE", Integer.toString(s.workers() * s.procsPerWorker())));
        if (s.procsPerWorker() == 1) {
            // One process per pod: its global rank is the pod's index. With more, torchrun assigns ranks itself.
            env.add(new EnvVarBuilder(nodeRank).withName("RANK").build());
        }
        env.add(env("PET_NNODES", Integer.toString(s.workers())));
        env.add(env("PET_NPROC_PER_NODE", Integer.toString(s.procsPerWorker())));
        env.add(new EnvVarBuilder(nodeRank).withName("PET_NODE_RANK").build());
        env.add(env("PET_MASTER_ADDR", master));
        env.add(env("PET_MASTER_PORT", Integer.toString(MASTER_PORT)));
        if (s.trainer().getEnv() != null) {
            env.addAll(s.trainer().getEnv());
        }
        return env;
    }

    private static List<EnvFromSource> credentials(TrainingSettings s) {
        if (s.credentialsSecret() == null) {
            return List.of();
        }
        return List.of(new EnvFromSourceBuilder().withNewSecretRef().withName(s.credentialsSecret()).endSecretRef()
                .build());
    }

    private static ResourceRequirements resources(TrainingSettings s) {
        ResourceRequirementsBuilder builder = s.trainer().getResources() == null
                ? new ResourceRequirementsBuilder()
                : new ResourceRequirementsBuilder(s.trainer().getResources());
        if (s.gpus() > 0) {
            // Extended resources are requested through limits; Kubernetes sets the request equal.
            builder.addToLimits(s.gpuResourceName(), new Quantity(Integer.toString(s.gpus())));
        }
        return builder.build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise " + value, e);
        }
    }
}
