package dev.modelops.operator.deployment;

import java.util.List;

import dev.modelops.api.deployment.Autoscaling;
import dev.modelops.api.deployment.Batching;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentSpec;
import dev.modelops.api.deployment.RolloutSpec;
import dev.modelops.api.deployment.RolloutStrategy;
import dev.modelops.api.deployment.RuntimeSpec;
import dev.modelops.api.deployment.Threads;
import dev.modelops.api.deployment.VersionPolicy;
import dev.modelops.contract.Durations;
import dev.modelops.contract.ServeSettings;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * A ModelDeployment's spec with its defaults applied. Defaults live here, at reading time, and are never written to
 * spec; the runtime's own defaults come from the shared contract ({@link ServeSettings#DEFAULTS}).
 */
public record DeploymentSettings(
        String name,
        String namespace,
        String model,
        Integer pinnedVersion,
        boolean followLatest,
        int replicas,
        Autoscaling autoscaling,
        String image,
        ResourceRequirements resources,
        int gpus,
        String gpuResourceName,
        ServeSettings serve,
        List<EnvVar> env,
        RolloutStrategy strategy,
        RolloutSpec rollout,
        int servicePort) {

    public static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";
    public static final int DEFAULT_SERVICE_PORT = 80;
    public static final int DEFAULT_MIN_REPLICAS = 1;
    public static final int DEFAULT_CPU_TARGET = 80;

    public static DeploymentSettings of(ModelDeployment deployment, String defaultImage) {
        ModelDeploymentSpec spec = deployment.getSpec();
        RuntimeSpec runtime = spec.getRuntime() == null ? new RuntimeSpec() : spec.getRuntime();
        RolloutSpec rollout = spec.getRollout() == null ? new RolloutSpec() : spec.getRollout();
        return new DeploymentSettings(
                deployment.getMetadata().getName(),
                deployment.getMetadata().getNamespace(),
                spec.getModel(),
                spec.getVersion(),
                spec.getVersionPolicy() == VersionPolicy.Latest,
                totalReplicas(spec),
                spec.getAutoscaling(),
                runtime.getImage() == null || runtime.getImage().isBlank() ? defaultImage : runtime.getImage(),
                runtime.getResources(),
                runtime.getGpus() == null ? 0 : runtime.getGpus(),
                runtime.getGpuResourceName() == null ? DEFAULT_GPU_RESOURCE : runtime.getGpuResourceName(),
                serve(runtime.getBatching(), runtime.getThreads()),
                runtime.getEnv() == null ? List.of() : runtime.getEnv(),
                rollout.getStrategy() == null ? RolloutStrategy.Canary : rollout.getStrategy(),
                rollout,
                spec.getService() == null || spec.getService().getPort() == null
                        ? DEFAULT_SERVICE_PORT
                        : spec.getService().getPort());
    }

    /**
     * The total pod count across tracks: spec.replicas (set by a person, or by the HorizontalPodAutoscaler through
     * the scale subresource), within the autoscaling bounds when autoscaling.
     */
    static int totalReplicas(ModelDeploymentSpec spec) {
        Autoscaling autoscaling = spec.getAutoscaling();
        if (autoscaling == null) {
            return spec.getReplicas() == null ? 1 : spec.getReplicas();
        }
        int min = autoscaling.getMinReplicas() == null ? DEFAULT_MIN_REPLICAS : autoscaling.getMinReplicas();
        int max = autoscaling.getMaxReplicas() == null ? Math.max(min, 1) : autoscaling.getMaxReplicas();
        int wanted = spec.getReplicas() == null ? min : spec.getReplicas();
        return Math.max(min, Math.min(max, wanted));
    }

    static ServeSettings serve(Batching batching, Threads threads) {
        ServeSettings d = ServeSettings.DEFAULTS;
        return new ServeSettings(
                batching == null || batching.getMaxBatchSize() == null ? d.maxBatchSize() : batching.getMaxBatchSize(),
                batching == null || batching.getMaxDelay() == null
                        ? d.maxBatchDelay()
                        : Durations.parse(batching.getMaxDelay()),
                batching == null || batching.getQueueCapacity() == null
                        ? d.queueCapacity()
                        : batching.getQueueCapacity(),
                threads == null || threads.getIntraOp() == null ? d.intraOpThreads() : threads.getIntraOp(),
                threads == null || threads.getInterOp() == null ? d.interOpThreads() : threads.getInterOp());
    }

    public boolean autoscaled() {
        return autoscaling != null;
    }
}
