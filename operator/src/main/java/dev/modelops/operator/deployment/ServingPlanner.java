package dev.modelops.operator.deployment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Artifact;
import dev.modelops.api.deployment.Autoscaling;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.contract.RuntimeContract;
import dev.modelops.operator.common.OwnedLabels;
import dev.modelops.operator.common.PodSecurity;
import dev.modelops.operator.common.StorageLocation;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvFromSourceBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import dev.modelops.api.deployment.GatewayApiTraffic;
import dev.modelops.api.deployment.GatewayParentReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRefBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteBuilder;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;

/**
 * Pure: the Kubernetes objects that serve a ModelDeployment — one Deployment per live track, a Service over every
 * track and one per track, and the HorizontalPodAutoscaler on the ModelDeployment's scale subresource. The pod
 * template depends only on spec.runtime, the track and the version served, so nothing else rolls the pods.
 */
public final class ServingPlanner {

    public static final String COMPONENT = "serving";
    public static final String INIT_CONTAINER = "fetch";
    public static final String CONTAINER = "server";
    public static final String PORT_NAME = "http";
    public static final String GRPC_PORT_NAME = "grpc";
    static final String MODEL_VOLUME = "model";
    /** Long enough to fetch and load a large model before liveness may restart the pod. */
    static final int STARTUP_FAILURE_THRESHOLD = 120;
    static final int PROGRESS_DEADLINE_SECONDS = 600;
    /** Environment the operator sets on the server; spec.runtime.env may not override it. */
    public static final Set<String> RESERVED_ENV = Set.of(RuntimeContract.ENV_MODEL_NAME,
            RuntimeContract.ENV_MODEL_VERSION, RuntimeContract.ENV_TRACK, RuntimeContract.ENV_MODEL_PATH,
            RuntimeContract.ENV_PORT, RuntimeContract.ENV_HOST, RuntimeContract.ENV_CLASS_LABELS,
            RuntimeContract.ENV_WARMUP_REQUEST);

    /** One live track: which version it serves and with how many pods. */
    public record TrackPlan(Track track, ModelVersion version, int replicas) {
    }

    private ServingPlanner() {
    }

    /** Labels on every object and pod of a deployment; {@link #podSelector} selects all of its pods. */
    static Map<String, String> labels(DeploymentSettings s) {
        Map<String, String> labels = OwnedLabels.standard(COMPONENT, s.name(), s.model());
        labels.put(ModelOps.LABEL_DEPLOYMENT, s.name());
        return labels;
    }

    /** All pods of the deployment, every track: the Service's and the scale subresource's selector. */
    public static Map<String, String> podSelector(DeploymentSettings s) {
        return Map.of(ModelOps.LABEL_DEPLOYMENT, s.name());
    }

    static Map<String, String> trackSelector(DeploymentSettings s, Track track) {
        Map<String, String> selector = new LinkedHashMap<>(podSelector(s));
        selector.put(ModelOps.LABEL_TRACK, track.label());
        return selector;
    }

    /** {@code modelops.dev/deployment=<name>}: the status.selector the HorizontalPodAutoscaler reads. */
    public static String selectorString(DeploymentSettings s) {
        return ModelOps.LABEL_DEPLOYMENT + "=" + s.name();
    }

    public static Deployment deployment(ModelDeployment owner, DeploymentSettings s, TrackPlan plan) {
        ModelVersion version = plan.version();
        Map<String, String> podLabels = labels(s);
        podLabels.put(ModelOps.LABEL_TRACK, plan.track().label());
        podLabels.put(ModelOps.LABEL_VERSION, String.valueOf(version.getSpec().getVersion()));
        Map<String, String> objectLabels = new LinkedHashMap<>(podLabels);

        Artifact artifact = version.getSpec().getArtifact();
        StorageLocation location = StorageLocation.parse(artifact.getUri());
        List<Volume> volumes = new ArrayList<>(List.of(PodSecurity.tmpVolume(),
                new VolumeBuilder().withName(MODEL_VOLUME).withNewEmptyDir().endEmptyDir().build()));
        List<VolumeMount> fetchMounts = new ArrayList<>(List.of(PodSecurity.tmpMount(), modelMount(false)));
        if (location.isPvc()) {
            volumes.add(location.volume(true));
            fetchMounts.add(location.mount(true));
        }
        Container fetch = new ContainerBuilder()
                .withName(INIT_CONTAINER)
                .withImage(s.image())
                .withArgs(fetchArgs(artifact))
                .withEnvFrom(credentials(artifact))
                .withVolumeMounts(fetchMounts)
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePath(RuntimeContract.TERMINATION_LOG)
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .withResources(new ResourceRequirementsBuilder()
                        .addToRequests("cpu", new Quantity("100m"))
                        .addToRequests("memory", new Quantity("128Mi")).build())
                .build();
        Container server = new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(s.image())
                .withArgs(RuntimeContract.COMMAND_SERVE)
                .withEnv(serverEnv(s, plan))
                .addNewPort().withName(PORT_NAME).withContainerPort(RuntimeContract.HTTP_PORT).withProtocol("TCP")
                .endPort()
                .addNewPort().withName(GRPC_PORT_NAME).withContainerPort(RuntimeContract.GRPC_PORT)
                .withProtocol("TCP").endPort()
                .withReadinessProbe(probe(RuntimeContract.PATH_READY, 2, 3))
                .withLivenessProbe(probe(RuntimeContract.PATH_LIVE, 10, 3))
                .withStartupProbe(probe(RuntimeContract.PATH_READY, 5, STARTUP_FAILURE_THRESHOLD))
                .withResources(resources(s))
                .withVolumeMounts(PodSecurity.tmpMount(), modelMount(true))
                .withSecurityContext(PodSecurity.container())
                .withTerminationMessagePolicy("FallbackToLogsOnError")
                .build();

        List<Toleration> tolerations = s.gpus() > 0
                ? List.of(new TolerationBuilder().withKey(s.gpuResourceName()).withOperator("Exists")
                        .withEffect("NoSchedule").build())
                : List.of();
        return new DeploymentBuilder()
                .withNewMetadata()
                .withName(plan.track().objectName(s.name()))
                .withNamespace(s.namespace())
                .withLabels(objectLabels)
                .withOwnerReferences(owner(owner))
                .endMetadata()
                .withNewSpec()
                .withReplicas(plan.replicas())
                .withNewSelector().withMatchLabels(trackSelector(s, plan.track())).endSelector()
                // New pods must be ready before an old one goes: never a moment with fewer ready pods than before.
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString(0))
                .endRollingUpdate().endStrategy()
                .withProgressDeadlineSeconds(PROGRESS_DEADLINE_SECONDS)
                .withRevisionHistoryLimit(3)
                .withNewTemplate()
                .withNewMetadata().withLabels(podLabels).endMetadata()
                .withNewSpec()
                .withAutomountServiceAccountToken(false)
                .withSecurityContext(PodSecurity.pod())
                .withInitContainers(fetch)
                .withContainers(server)
                .withVolumes(volumes)
                .withTolerations(tolerations)
                .endSpec()
                .endTemplate()
                .endSpec()
                .build();
    }

    /** The Service over every track's ready pods (traffic by replica ratio), and one per live track. */
    public static List<Service> services(ModelDeployment owner, DeploymentSettings s, List<TrackPlan> tracks) {
        List<Service> services = new ArrayList<>();
        services.add(service(owner, s, s.name(), podSelector(s)));
        for (TrackPlan plan : tracks) {
            services.add(service(owner, s, plan.track().objectName(s.name()), trackSelector(s, plan.track())));
        }
        return services;
    }

    private static Service service(ModelDeployment owner, DeploymentSettings s, String name,
            Map<String, String> selector) {
        return new ServiceBuilder()
                .withMetadata(metadata(owner, s, name))
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(selector)
                .addNewPort().withName(PORT_NAME).withProtocol("TCP").withPort(s.servicePort())
                .withTargetPort(new IntOrString(PORT_NAME)).endPort()
                // The Open Inference Protocol over gRPC, on the runtime's own port.
                .addNewPort().withName(GRPC_PORT_NAME).withProtocol("TCP").withPort(RuntimeContract.GRPC_PORT)
                .withTargetPort(new IntOrString(GRPC_PORT_NAME)).endPort()
                .endSpec()
                .build();
    }

    /** The HorizontalPodAutoscaler, when autoscaling: it scales the ModelDeployment, and the operator splits. */
    public static HorizontalPodAutoscaler autoscaler(ModelDeployment owner, DeploymentSettings s) {
        Autoscaling a = s.autoscaling();
        List<MetricSpec> metrics = new ArrayList<>();
        metrics.add(new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu").withNewTarget()
                .withType("Utilization")
                .withAverageUtilization(a.getTargetCPUUtilizationPercentage() == null
                        ? DeploymentSettings.DEFAULT_CPU_TARGET
                        : a.getTargetCPUUtilizationPercentage())
                .endTarget().endResource().build());
        if (a.getTargetConcurrency() != null) {
            metrics.add(new MetricSpecBuilder().withType("Pods").withNewPods().withNewMetric()
                    .withName(RuntimeContract.METRIC_IN_FLIGHT).endMetric().withNewTarget().withType("AverageValue")
                    .withAverageValue(new Quantity(Integer.toString(a.getTargetConcurrency()))).endTarget()
                    .endPods().build());
        }
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(metadata(owner, s, s.name()))
                .withNewSpec()
                .withNewScaleTargetRef().withApiVersion(ModelOps.API_VERSION).withKind("ModelDeployment")
                .withName(s.name()).endScaleTargetRef()
                .withMinReplicas(a.getMinReplicas() == null
                        ? DeploymentSettings.DEFAULT_MIN_REPLICAS
                        : a.getMinReplicas())
                .withMaxReplicas(a.getMaxReplicas())
                .withMetrics(metrics)
                .endSpec()
                .build();
    }

    /**
     * The HTTPRoute of traffic mode GatewayAPI: the Gateway's parents and hostnames from the spec, and the track
     * Services as weighted backends, set exactly to the canary's weight. It is owned by the ModelDeployment, so Git
     * never holds the weights.
     */
    public static HTTPRoute httpRoute(ModelDeployment owner, DeploymentSettings s, boolean canary, int canaryWeight) {
        GatewayApiTraffic gateway = s.rollout().getTraffic().getGatewayAPI();
        List<ParentReference> parents = new ArrayList<>();
        for (GatewayParentReference ref : gateway.getParentRefs()) {
            parents.add(new ParentReferenceBuilder().withGroup("gateway.networking.k8s.io").withKind("Gateway")
                    .withName(ref.getName()).withNamespace(ref.getNamespace()).withSectionName(ref.getSectionName())
                    .build());
        }
        List<HTTPBackendRef> backends = new ArrayList<>();
        backends.add(new HTTPBackendRefBuilder().withName(Track.STABLE.objectName(s.name())).withKind("Service")
                .withGroup("").withPort(s.servicePort()).withWeight(canary ? 100 - canaryWeight : 100).build());
        if (canary) {
            backends.add(new HTTPBackendRefBuilder().withName(Track.CANARY.objectName(s.name())).withKind("Service")
                    .withGroup("").withPort(s.servicePort()).withWeight(canaryWeight).build());
        }
        return new HTTPRouteBuilder()
                .withMetadata(metadata(owner, s, s.name()))
                .withNewSpec()
                .withParentRefs(parents)
                .withHostnames(gateway.getHostnames() == null ? List.of() : gateway.getHostnames())
                .addNewRule().withBackendRefs(backends).endRule()
                .endSpec()
                .build();
    }

    /** The in-cluster base URL of the Open Inference Protocol endpoint. */
    public static String url(DeploymentSettings s) {
        return "http://" + s.name() + "." + s.namespace() + ".svc.cluster.local"
                + (s.servicePort() == 80 ? "" : ":" + s.servicePort());
    }

    /** Names in spec.runtime.env that the operator sets itself. */
    public static List<String> reservedEnvUsed(DeploymentSettings s) {
        return s.env().stream().map(EnvVar::getName).filter(RESERVED_ENV::contains).sorted().toList();
    }

    static List<String> fetchArgs(Artifact artifact) {
        List<String> args = new ArrayList<>(List.of(RuntimeContract.COMMAND_FETCH, RuntimeContract.FLAG_URI,
                artifact.getUri()));
        if (artifact.getSha256() != null) {
            args.add(RuntimeContract.FLAG_SHA256);
            args.add(artifact.getSha256());
        }
        args.add(RuntimeContract.FLAG_OUTPUT);
        args.add(RuntimeContract.MODEL_PATH);
        return args;
    }

    static List<EnvVar> serverEnv(DeploymentSettings s, TrackPlan plan) {
        List<EnvVar> env = new ArrayList<>();
        env.add(env(RuntimeContract.ENV_MODEL_NAME, s.model()));
        env.add(env(RuntimeContract.ENV_MODEL_VERSION, String.valueOf(plan.version().getSpec().getVersion())));
        env.add(env(RuntimeContract.ENV_TRACK, plan.track().label()));
        env.add(env(RuntimeContract.ENV_MODEL_PATH, RuntimeContract.MODEL_PATH));
        List<String> classes = plan.version().getSpec().getClassLabels();
        if (classes != null && !classes.isEmpty()) {
            env.add(env(RuntimeContract.ENV_CLASS_LABELS, String.join(",", classes)));
        }
        String warmup = plan.version().getSpec().getWarmupInput();
        if (warmup != null && !warmup.isBlank()) {
            env.add(env(RuntimeContract.ENV_WARMUP_REQUEST, warmup));
        }
        s.serve().environment().forEach((name, value) -> env.add(env(name, value)));
        s.env().stream().filter(e -> !RESERVED_ENV.contains(e.getName())).forEach(env::add);
        return env;
    }

    private static List<EnvFromSource> credentials(Artifact artifact) {
        if (artifact.getCredentialsSecret() == null) {
            return List.of();
        }
        // Credentials reach only the fetch container, as environment; the server never sees them.
        return List.of(new EnvFromSourceBuilder().withNewSecretRef().withName(artifact.getCredentialsSecret())
                .endSecretRef().build());
    }

    private static ResourceRequirements resources(DeploymentSettings s) {
        ResourceRequirementsBuilder builder = s.resources() == null
                ? new ResourceRequirementsBuilder()
                : new ResourceRequirementsBuilder(s.resources());
        if (s.gpus() > 0) {
            builder.addToLimits(s.gpuResourceName(), new Quantity(Integer.toString(s.gpus())));
        }
        return builder.build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder().withNewHttpGet().withPath(path).withPort(new IntOrString(PORT_NAME)).endHttpGet()
                .withPeriodSeconds(periodSeconds).withFailureThreshold(failureThreshold).withTimeoutSeconds(2)
                .build();
    }

    private static VolumeMount modelMount(boolean readOnly) {
        return new VolumeMountBuilder().withName(MODEL_VOLUME).withMountPath(RuntimeContract.MODEL_DIR)
                .withReadOnly(readOnly).build();
    }

    private static EnvVar env(String name, String value) {
        return new EnvVarBuilder().withName(name).withValue(value).build();
    }

    /** Name, namespace, the deployment's labels and the owner reference every object but a track's carries. */
    private static ObjectMeta metadata(ModelDeployment owner, DeploymentSettings s, String name) {
        return new ObjectMetaBuilder().withName(name).withNamespace(s.namespace()).withLabels(labels(s))
                .withOwnerReferences(owner(owner)).build();
    }

    private static OwnerReference owner(ModelDeployment owner) {
        return OwnedLabels.controllerReference(owner);
    }
}
