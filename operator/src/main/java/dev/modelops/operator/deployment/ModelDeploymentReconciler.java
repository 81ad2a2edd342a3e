package dev.modelops.operator.deployment;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.deployment.ModelDeploymentStatus;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.common.ControlEventFilter;
import dev.modelops.operator.common.EventRecorder;
import dev.modelops.operator.common.OperatorConfig;
import dev.modelops.operator.common.OwnedResources;
import dev.modelops.operator.common.ReconcileErrors;
import dev.modelops.operator.common.StatusWriter;
import dev.modelops.operator.analysis.AnalysisPlanner;
import dev.modelops.operator.analysis.AnalysisRunner;
import dev.modelops.operator.rollout.ManualAction;
import dev.modelops.operator.rollout.RolloutPlanner;
import dev.modelops.api.deployment.TrafficMode;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import java.time.Duration;
import java.util.Optional;
import dev.modelops.operator.deployment.ServingPlanner.TrackPlan;
import dev.modelops.operator.version.VersionRejections;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.Map;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Serves a ModelDeployment: resolves the version to serve, makes the tracks' Deployments, the Services and the
 * autoscaler converge, and writes status. Orchestration only: what to serve is {@link VersionResolver}'s decision,
 * what to create is {@link ServingPlanner}'s, what it means is {@link ServingStatusPlanner}'s.
 */
@ControllerConfiguration(name = "modeldeployment", generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ControlEventFilter.class))
public class ModelDeploymentReconciler implements Reconciler<ModelDeployment> {

    private static final Logger LOG = Logger.getLogger(ModelDeploymentReconciler.class);
    static final String BY_MODEL = "by-model";

    private final KubernetesClient client;
    private final Clock clock;
    private final EventRecorder events;
    private final VersionRejections rejections;
    private final String runtimeImage;
    private final AnalysisRunner analysis;

    private InformerEventSource<Deployment, ModelDeployment> deployments;
    private InformerEventSource<Service, ModelDeployment> services;
    private InformerEventSource<HorizontalPodAutoscaler, ModelDeployment> autoscalers;
    private InformerEventSource<Pod, ModelDeployment> pods;
    private InformerEventSource<ModelVersion, ModelDeployment> versions;

    public ModelDeploymentReconciler(KubernetesClient client, Clock clock, EventRecorder events,
            VersionRejections rejections, OperatorConfig config, AnalysisRunner analysis) {
        this.analysis = analysis;
        this.client = client;
        this.clock = clock;
        this.events = events;
        this.rejections = rejections;
        this.runtimeImage = config.runtimeImage();
    }

    @Override
    public List<EventSource<?, ModelDeployment>> prepareEventSources(EventSourceContext<ModelDeployment> context) {
        String managed = ModelOps.LABEL_MANAGED_BY + "=" + ModelOps.MANAGED_BY + "," + ModelOps.LABEL_COMPONENT + "="
                + ServingPlanner.COMPONENT;
        deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Deployment.class, ModelDeployment.class).withLabelSelector(managed).build(), context);
        services = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Service.class, ModelDeployment.class).withLabelSelector(managed).build(), context);
        autoscalers = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(HorizontalPodAutoscaler.class, ModelDeployment.class).withLabelSelector(managed).build(),
                context);
        // Pods belong to ReplicaSets, not to us: map them back through the deployment label.
        pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ModelDeployment.class)
                .withLabelSelector(managed)
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get(ModelOps.LABEL_DEPLOYMENT),
                        pod.getMetadata().getNamespace())))
                .build(), context);
        // A new or changed version of a model wakes every deployment of that model at once.
        context.getPrimaryCache().addIndexer(BY_MODEL, md -> List.of(modelKey(md.getMetadata().getNamespace(),
                md.getSpec().getModel())));
        versions = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ModelVersion.class, ModelDeployment.class)
                .withSecondaryToPrimaryMapper(mv -> mv.getSpec() == null
                        ? Set.of()
                        : context.getPrimaryCache().byIndex(BY_MODEL, modelKey(mv.getMetadata().getNamespace(),
                                mv.getSpec().getModel())).stream().map(ResourceID::fromResource)
                                .collect(Collectors.toSet()))
                .withOnUpdateFilter((after, before) -> VersionChanges.matterToDeployments(before, after))
                .build(), context);
        return List.of(deployments, services, autoscalers, pods, versions);
    }

    static String modelKey(String namespace, String model) {
        return namespace + "/" + model;
    }

    @Override
    public UpdateControl<ModelDeployment> reconcile(ModelDeployment md, Context<ModelDeployment> context) {
        String ns = md.getMetadata().getNamespace();
        DeploymentSettings settings;
        String specProblem = null;
        try {
            settings = DeploymentSettings.of(md, runtimeImage);
        } catch (IllegalArgumentException e) {
            // The schema admits every value the settings read; a value it cannot check ends here, not in a loop.
            settings = DeploymentSettings.of(withoutRuntime(md), runtimeImage);
            specProblem = "spec.runtime: " + e.getMessage();
        }
        List<String> reserved = ServingPlanner.reservedEnvUsed(settings);
        if (specProblem == null && !reserved.isEmpty()) {
            specProblem = "spec.runtime.env sets " + reserved + ", which the operator sets itself";
        }
        String model = settings.model();
        List<ModelVersion> ofModel = versions.list(ns, v -> v.getSpec() != null && model.equals(v.getSpec()
                .getModel())).toList();
        String servingName = md.getStatus() == null || md.getStatus().getStable() == null
                ? null
                : md.getStatus().getStable().getModelVersion();
        ModelVersion stableVersion = ofModel.stream().filter(v -> v.getMetadata().getName().equals(servingName))
                .findFirst().orElse(null);
        VersionResolver.Resolution resolution = VersionResolver.resolve(settings, ofModel, stableVersion);

        TrackObservation stable = observe(md, Track.STABLE, context);
        TrackObservation canary = observe(md, Track.CANARY, context);
        String canaryName = md.getStatus() == null || md.getStatus().getCanary() == null
                ? null
                : md.getStatus().getCanary().getModelVersion();
        ModelVersion canaryVersion = ofModel.stream().filter(v -> v.getMetadata().getName().equals(canaryName))
                .findFirst().orElse(null);
        String action = ManualAction.requested(md.getMetadata().getAnnotations());
        Optional<AnalysisPlanner.Result> measurement = specProblem == null
                ? measure(md, settings, canaryVersion, servingName, canary, context)
                : Optional.empty();
        ServingStatusPlanner.Decision decision = ServingStatusPlanner.plan(new ServingStatusPlanner.Inputs(md,
                settings, specProblem, resolution, stableVersion, stable, canaryVersion, canary, action, measurement,
                retryCandidate(md, settings, action, ofModel)),
                clock.instant());

        if (decision.clearRejection() != null) {
            rejections.clear(ns, decision.clearRejection().getMetadata().getName(), md.getMetadata().getName());
        }
        for (ServingStatusPlanner.Reject reject : decision.rejections()) {
            rejections.reject(ns, reject.version().getMetadata().getName(), md.getMetadata().getName(),
                    clock.instant(), reject.reason(), reject.message(), reject.evidence());
        }
        converge(md, settings, decision, context);
        for (ServingStatusPlanner.Note note : decision.notes()) {
            events.record(md, note.warning() ? EventRecorder.WARNING : EventRecorder.NORMAL, note.reason(),
                    note.message());
        }
        if (decision.status().getCanary() == null) {
            analysis.forget(md.getMetadata().getUid());
        }
        ModelDeployment written = StatusWriter.write(md, decision.status(), context);
        if (action != null) {
            consumeAction(written, action, context);
        }
        return decision.requeueAfter() == null
                ? UpdateControl.noUpdate()
                : UpdateControl.<ModelDeployment>noUpdate().rescheduleAfter(decision.requeueAfter());
    }

    /** For a retry, the versions are read fresh: the rejection being taken back may be newer than the cache. */
    private ModelVersion retryCandidate(ModelDeployment md, DeploymentSettings settings, String action,
            List<ModelVersion> cached) {
        if (ManualAction.parse(action) != ManualAction.RETRY) {
            return null;
        }
        List<ModelVersion> fresh = client.resources(ModelVersion.class).inNamespace(md.getMetadata().getNamespace())
                .list().getItems();
        return VersionResolver.retryCandidate(settings, fresh.isEmpty() ? cached : fresh, md.getStatus() == null
                ? null
                : md.getStatus().getHistory());
    }

    private TrackObservation observe(ModelDeployment md, Track track, Context<ModelDeployment> context) {
        Deployment deployment = context.getSecondaryResources(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(track.objectName(md.getMetadata().getName())))
                .findFirst().orElse(null);
        List<Pod> trackPods = pods(track, context);
        return TrackObservation.of(deployment, trackPods);
    }

    private static List<Pod> pods(Track track, Context<ModelDeployment> context) {
        return context.getSecondaryResources(Pod.class).stream()
                .filter(p -> track.label().equals(p.getMetadata().getLabels().get(ModelOps.LABEL_TRACK)))
                .toList();
    }

    private static List<Pod> readyPods(Track track, Context<ModelDeployment> context) {
        return pods(track, context).stream().filter(p -> p.getStatus() != null && p.getStatus().getConditions() != null
                && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType())
                        && "True".equals(c.getStatus())))
                .toList();
    }

    /** One measurement, when the canary sits at an analysis step and the interval since the last one has passed. */
    private Optional<AnalysisPlanner.Result> measure(ModelDeployment md, DeploymentSettings settings,
            ModelVersion canaryVersion, String servingName, TrackObservation canary,
            Context<ModelDeployment> context) {
        Optional<Integer> step = RolloutPlanner.analysisStep(md, settings);
        if (step.isEmpty() || canaryVersion == null || !canary.rolledOut() || settings.rollout()
                .getAnalysis() == null) {
            LOG.debugf("%s/%s: no measurement (analysis step %s, canary version %s, canary rolled out %s)", md
                    .getMetadata().getNamespace(), md.getMetadata().getName(), step.orElse(null),
                    canaryVersion == null ? null : canaryVersion.getMetadata().getName(), canary.rolledOut());
            return Optional.empty();
        }
        String stableNumber = md.getStatus().getStable().getVersion() == null
                ? ""
                : md.getStatus().getStable().getVersion().toString();
        AnalysisRunner.Key key = new AnalysisRunner.Key(md.getMetadata().getUid(), canaryVersion.getMetadata()
                .getName(), step.get());
        Duration interval = RolloutPlanner.interval(settings);
        return analysis.measure(key, settings.rollout().getAnalysis(), interval, settings.model(), String.valueOf(
                canaryVersion.getSpec().getVersion()), stableNumber, readyPods(Track.CANARY, context),
                readyPods(
                        Track.STABLE, context),
                clock.instant())
                .map(observed -> AnalysisPlanner.judge(settings.rollout().getAnalysis(), observed, clock.instant()));
    }

    /**
     * The action is a request: once acted on (and recorded in status), the annotation goes. The update carries the
     * resourceVersion (a newer request written in between is never lost, the removal is tried again on the fresh
     * object) and lands in JOSDK's cache, so the next pass cannot see the consumed request and act on it twice.
     */
    private void consumeAction(ModelDeployment md, String action, Context<ModelDeployment> context) {
        PrimaryUpdateAndCacheUtils.updateAndCacheResource(md, context, fresh -> {
            Map<String, String> annotations = fresh.getMetadata().getAnnotations();
            if (annotations != null && action.equals(annotations.get(ModelOps.ANNOTATION_ACTION))) {
                Map<String, String> rest = new java.util.LinkedHashMap<>(annotations);
                rest.remove(ModelOps.ANNOTATION_ACTION);
                fresh.getMetadata().setAnnotations(rest);
            }
            return fresh;
        }, r -> client.resource(r).update());
    }

    private void converge(ModelDeployment md, DeploymentSettings settings, ServingStatusPlanner.Decision decision,
            Context<ModelDeployment> context) {
        List<TrackPlan> tracks = decision.tracks();
        List<Deployment> wantedDeployments = new ArrayList<>();
        for (TrackPlan plan : tracks) {
            Deployment desired = ServingPlanner.deployment(md, settings, plan);
            wantedDeployments.add(desired);
            OwnedResources.apply(client, deployments, desired, existing(context, Deployment.class, desired));
        }
        OwnedResources.deleteOthers(client, context.getSecondaryResources(Deployment.class), wantedDeployments);

        List<Service> wantedServices = ServingPlanner.services(md, settings, tracks);
        for (Service desired : wantedServices) {
            OwnedResources.apply(client, services, desired, existing(context, Service.class, desired));
        }
        OwnedResources.deleteOthers(client, context.getSecondaryResources(Service.class), wantedServices);

        List<HorizontalPodAutoscaler> wantedAutoscalers = settings.autoscaled()
                ? List.of(ServingPlanner.autoscaler(md, settings))
                : List.of();
        for (HorizontalPodAutoscaler desired : wantedAutoscalers) {
            OwnedResources.apply(client, autoscalers, desired, existing(context, HorizontalPodAutoscaler.class,
                    desired));
        }
        OwnedResources.deleteOthers(client, context.getSecondaryResources(HorizontalPodAutoscaler.class),
                wantedAutoscalers);

        if (settings.rollout().getTraffic() != null && settings.rollout().getTraffic()
                .getMode() == TrafficMode.GatewayAPI) {
            // No informer for HTTPRoutes: a cluster without the Gateway API must still run the operator. The route is
            // read on each pass of a GatewayAPI deployment and written only when it differs.
            boolean canary = tracks.stream().anyMatch(t -> t.track() == Track.CANARY);
            HTTPRoute desired = ServingPlanner.httpRoute(md, settings, canary, decision.canaryWeight());
            HTTPRoute existing = client.resources(HTTPRoute.class).inNamespace(md.getMetadata().getNamespace())
                    .withName(desired.getMetadata().getName()).get();
            OwnedResources.apply(client, null, desired, existing);
        }
    }

    private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> T existing(
            Context<ModelDeployment> context, Class<T> type, T desired) {
        return context.getSecondaryResources(type).stream()
                .filter(r -> r.getMetadata().getName().equals(desired.getMetadata().getName())).findFirst()
                .orElse(null);
    }

    private static ModelDeployment withoutRuntime(ModelDeployment md) {
        ModelDeployment copy = new ModelDeployment();
        copy.setMetadata(md.getMetadata());
        copy.setSpec(ServingStatusPlanner.copySpec(md.getSpec()));
        copy.getSpec().setRuntime(null);
        copy.setStatus(md.getStatus());
        return copy;
    }

    @Override
    public ErrorStatusUpdateControl<ModelDeployment> updateErrorStatus(ModelDeployment md,
            Context<ModelDeployment> context, Exception e) {
        LOG.warnf(e, "reconciling deployment %s/%s failed; retrying", md.getMetadata().getNamespace(),
                md.getMetadata().getName());
        ModelDeploymentStatus status = md.getStatus() == null
                ? new ModelDeploymentStatus()
                : ServingStatusPlanner.copy(md.getStatus());
        status.setConditions(ReconcileErrors.with(status.getConditions(), e, md.getMetadata().getGeneration(),
                clock.instant()));
        try {
            StatusWriter.write(md, status, context);
        } catch (RuntimeException writeFailed) {
            LOG.warnf("could not record the error on %s/%s: %s", md.getMetadata().getNamespace(),
                    md.getMetadata().getName(), writeFailed.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }
}
