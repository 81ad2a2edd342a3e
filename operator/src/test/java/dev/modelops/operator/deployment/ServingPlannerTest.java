package dev.modelops.operator.deployment;

import static dev.modelops.operator.deployment.Deployments.md;
import static dev.modelops.operator.deployment.Deployments.version;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.Autoscaling;
import dev.modelops.api.deployment.Batching;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.RuntimeSpec;
import dev.modelops.api.deployment.ServiceSpec;
import dev.modelops.api.deployment.Threads;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.contract.ServeSettings;
import dev.modelops.operator.deployment.ServingPlanner.TrackPlan;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;

class ServingPlannerTest {

    private static Deployment plan(ModelDeployment md, ModelVersion v, Track track, int replicas) {
        return ServingPlanner.deployment(md, DeploymentSettings.of(md, Deployments.IMAGE), new TrackPlan(track, v,
                replicas));
    }

    private static Map<String, String> env(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
                .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    }

    @Test
    void aPinnedVersionRunsTheRuntimeWithItsArtifactFetchedFirst() {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(7);
        ModelVersion v7 = version("iris", 7, VersionPhase.Ready, null);
        v7.getSpec().getArtifact().setCredentialsSecret("store");
        Deployment d = plan(md, v7, Track.STABLE, 3);

        assertThat(d.getMetadata().getName()).isEqualTo("iris-stable");
        assertThat(d.getSpec().getReplicas()).isEqualTo(3);
        assertThat(d.getSpec().getSelector().getMatchLabels()).containsOnly(
                Map.entry(ModelOps.LABEL_DEPLOYMENT, "iris"), Map.entry(ModelOps.LABEL_TRACK, "stable"));
        assertThat(d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
        var pod = d.getSpec().getTemplate().getSpec();
        Container fetch = pod.getInitContainers().get(0);
        assertThat(fetch.getImage()).isEqualTo(Deployments.IMAGE);
        assertThat(fetch.getArgs()).containsExactly("fetch", "--uri", "pvc://models/iris/v7/model.onnx",
                "--sha256", "d".repeat(64), "--output", "/mnt/models/model.onnx");
        assertThat(fetch.getEnvFrom()).singleElement().satisfies(e -> assertThat(e.getSecretRef().getName())
                .isEqualTo("store"));
        assertThat(pod.getVolumes()).extracting(v -> v.getName()).containsExactly("tmp", "model", "pvc-models");
        Container server = pod.getContainers().get(0);
        assertThat(server.getEnvFrom()).as("credentials only reach the fetch container").isEmpty();
        assertThat(server.getArgs()).containsExactly("serve");
        assertThat(env(d)).containsOnly(Map.entry(RuntimeContract.ENV_MODEL_NAME, "iris"),
                Map.entry(RuntimeContract.ENV_MODEL_VERSION, "7"), Map.entry(RuntimeContract.ENV_TRACK, "stable"),
                Map.entry(RuntimeContract.ENV_MODEL_PATH, RuntimeContract.MODEL_PATH));
        assertThat(server.getPorts()).extracting(p -> p.getName() + ":" + p.getContainerPort()).containsExactly(
                "http:" + RuntimeContract.HTTP_PORT, "grpc:" + RuntimeContract.GRPC_PORT);
        assertThat(server.getStartupProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.PATH_READY);
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo(RuntimeContract.PATH_LIVE);
        assertThat(server.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getTolerations()).isEmpty();
        assertThat(d.getSpec().getTemplate().getMetadata().getLabels())
                .containsEntry(ModelOps.LABEL_MODEL, "iris").containsEntry(ModelOps.LABEL_VERSION, "7")
                .containsEntry(ModelOps.LABEL_TRACK, "stable").containsEntry(ModelOps.LABEL_MANAGED_BY, "modelops");
    }

    @Test
    void gpusResourcesAndTheCanaryTrack() {
        ModelDeployment md = md("fraud", "fraud");
        md.getSpec().setVersion(2);
        RuntimeSpec runtime = new RuntimeSpec();
        runtime.setGpus(2);
        runtime.setImage("registry.local/runtime-gpu:1");
        runtime.setResources(new ResourceRequirementsBuilder().addToRequests("cpu", new Quantity("2")).build());
        md.getSpec().setRuntime(runtime);
        Deployment d = plan(md, version("fraud", 2, VersionPhase.Ready, null), Track.CANARY, 1);
        Container server = d.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(server.getImage()).isEqualTo("registry.local/runtime-gpu:1");
        assertThat(server.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("2"));
        assertThat(server.getResources().getRequests()).containsEntry("cpu", new Quantity("2"));
        assertThat(d.getSpec().getTemplate().getSpec().getTolerations()).singleElement()
                .satisfies(t -> assertThat(t.getKey()).isEqualTo("nvidia.com/gpu"));
        assertThat(d.getMetadata().getName()).isEqualTo("fraud-canary");
        assertThat(env(d)).containsEntry(RuntimeContract.ENV_TRACK, "canary");
    }

    /** The contract test: what the operator writes into the pod, the runtime reads back as the spec said. */
    @ParameterizedTest(name = "batch {0}, delay {1}, queue {2}, intra {3}, inter {4}")
    @CsvSource(nullValues = "-", textBlock = """
            -,   -,     -,   -, -
            8,   2ms,   -,   -, -
            1,   -,     64,  1, 2
            64,  1.5ms, 512, -, -
            32,  0ms,   256, -, -
            """)
    void theRuntimeReadsBackWhatTheSpecSays(Integer batch, String delay, Integer queue, Integer intra,
            Integer inter) {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(1);
        RuntimeSpec runtime = new RuntimeSpec();
        Batching batching = new Batching();
        batching.setMaxBatchSize(batch);
        batching.setMaxDelay(delay);
        batching.setQueueCapacity(queue);
        runtime.setBatching(batching);
        Threads threads = new Threads();
        threads.setIntraOp(intra);
        threads.setInterOp(inter);
        runtime.setThreads(threads);
        md.getSpec().setRuntime(runtime);

        ServeSettings read = ServeSettings.fromEnvironment(env(plan(md, version("iris", 1, VersionPhase.Ready,
                null), Track.STABLE, 1)));
        ServeSettings d = ServeSettings.DEFAULTS;
        assertThat(read.maxBatchSize()).isEqualTo(batch == null ? d.maxBatchSize() : batch);
        assertThat(read.maxBatchDelay()).isEqualTo(delay == null
                ? d.maxBatchDelay()
                : Duration.ofNanos((long) (Double.parseDouble(delay.replace("ms", "")) * 1_000_000)));
        assertThat(read.queueCapacity()).isEqualTo(queue == null ? d.queueCapacity() : queue);
        assertThat(read.intraOpThreads()).isEqualTo(intra == null ? d.intraOpThreads() : intra);
        assertThat(read.interOpThreads()).isEqualTo(inter == null ? d.interOpThreads() : inter);
    }

    @Test
    void userEnvComesLastAndReservedNamesAreReported() {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(1);
        RuntimeSpec runtime = new RuntimeSpec();
        runtime.setEnv(List.of(new EnvVar("OMP_NUM_THREADS", "1", null), new EnvVar(RuntimeContract.ENV_TRACK, "x",
                null)));
        md.getSpec().setRuntime(runtime);
        DeploymentSettings s = DeploymentSettings.of(md, Deployments.IMAGE);
        assertThat(ServingPlanner.reservedEnvUsed(s)).containsExactly(RuntimeContract.ENV_TRACK);
        Map<String, String> env = env(plan(md, version("iris", 1, VersionPhase.Ready, null), Track.STABLE, 1));
        assertThat(env).containsEntry("OMP_NUM_THREADS", "1").containsEntry(RuntimeContract.ENV_TRACK, "stable");
    }

    @Test
    void aVersionsWarmUpRequestReachesTheServerAndCannotBeOverridden() {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(1);
        ModelVersion v = version("iris", 1, VersionPhase.Ready, null);
        assertThat(env(plan(md, v, Track.STABLE, 1))).doesNotContainKey(RuntimeContract.ENV_WARMUP_REQUEST);
        String sample = "{\"inputs\":[{\"name\":\"x\",\"datatype\":\"INT32\",\"shape\":[1],\"data\":[3]}]}";
        v.getSpec().setWarmupInput(sample);
        RuntimeSpec runtime = new RuntimeSpec();
        runtime.setEnv(List.of(new EnvVar(RuntimeContract.ENV_WARMUP_REQUEST, "{}", null)));
        md.getSpec().setRuntime(runtime);
        assertThat(env(plan(md, v, Track.CANARY, 1))).containsEntry(RuntimeContract.ENV_WARMUP_REQUEST, sample);
    }

    @Test
    void servicesSelectEveryTrackAndEachTrack() {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(1);
        ServiceSpec port = new ServiceSpec();
        port.setPort(9000);
        md.getSpec().setService(port);
        DeploymentSettings s = DeploymentSettings.of(md, Deployments.IMAGE);
        ModelVersion v = version("iris", 1, VersionPhase.Ready, null);
        List<Service> services = ServingPlanner.services(md, s, List.of(new TrackPlan(Track.STABLE, v, 2),
                new TrackPlan(Track.CANARY, v, 1)));
        assertThat(services).extracting(x -> x.getMetadata().getName()).containsExactly("iris", "iris-stable",
                "iris-canary");
        assertThat(services.get(0).getSpec().getSelector()).containsOnly(Map.entry(ModelOps.LABEL_DEPLOYMENT,
                "iris"));
        assertThat(services.get(2).getSpec().getSelector()).containsEntry(ModelOps.LABEL_TRACK, "canary");
        assertThat(services.get(0).getSpec().getPorts()).extracting(p -> p.getName() + ":" + p.getPort() + "->" + p
                .getTargetPort().getStrVal()).containsExactly("http:9000->http", "grpc:8081->grpc");
        assertThat(ServingPlanner.url(s)).isEqualTo("http://iris.ml.svc.cluster.local:9000");
    }

    @ParameterizedTest(name = "replicas {0}, min {1}, max {2} -> {3}")
    @CsvSource(nullValues = "-", textBlock = """
            -, -, -, 1
            4, -, -, 4
            0, -, -, 0
            -, 2, 10, 2
            7, 2, 10, 7
            1, 2, 10, 2
            50, 2, 10, 10
            -, -, 5, 1
            """)
    void totalReplicas(Integer replicas, Integer min, Integer max, int expected) {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersion(1);
        md.getSpec().setReplicas(replicas);
        if (max != null) {
            Autoscaling a = new Autoscaling();
            a.setMinReplicas(min);
            a.setMaxReplicas(max);
            md.getSpec().setAutoscaling(a);
        }
        assertThat(DeploymentSettings.of(md, Deployments.IMAGE).replicas()).isEqualTo(expected);
    }

    @Test
    void theAutoscalerScalesTheModelDeploymentItself() {
        ModelDeployment md = md("iris", "iris");
        md.getSpec().setVersionPolicy(dev.modelops.api.deployment.VersionPolicy.Latest);
        Autoscaling a = new Autoscaling();
        a.setMaxReplicas(8);
        a.setTargetCPUUtilizationPercentage(60);
        a.setTargetConcurrency(16);
        md.getSpec().setAutoscaling(a);
        HorizontalPodAutoscaler hpa = ServingPlanner.autoscaler(md, DeploymentSettings.of(md, Deployments.IMAGE));
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("modelops.dev/v1alpha1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("ModelDeployment");
        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(1);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(8);
        assertThat(hpa.getSpec().getMetrics()).hasSize(2);
        assertThat(hpa.getSpec().getMetrics().get(0).getResource().getTarget().getAverageUtilization()).isEqualTo(60);
        assertThat(hpa.getSpec().getMetrics().get(1).getPods().getMetric().getName())
                .isEqualTo(RuntimeContract.METRIC_IN_FLIGHT);
        assertThat(hpa.getSpec().getMetrics().get(1).getPods().getTarget().getAverageValue())
                .isEqualTo(new Quantity("16"));
    }
}
