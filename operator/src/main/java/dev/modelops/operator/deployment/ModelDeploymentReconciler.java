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

    private InformerEventSource<Deployment, ModelDeployment> deployments;
    private InformerEventSource<Service, ModelDeployment> services;
    private InformerEventSource<HorizontalPodAutoscaler, ModelDeployment> autoscalers;
    private InformerEventSource<Pod, ModelDeployment> pods;
    private InformerEventSource<ModelVersion, ModelDeployment> versions;

    public ModelDeploymentReconciler(KubernetesClient client, Clock clock, EventRecorder events,
            VersionRejections rejections, OperatorConfig config) {
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

        Deployment stableDeployment = context.getSecondaryResources(Deployment.class).stream()
                .filter(d -> d.getMetadata().getName().equals(Track.STABLE.objectName(md.getMetadata().getName())))
                .findFirst().orElse(null);
        List<Pod> stablePods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> Track.STABLE.label().equals(p.getMetadata().getLabels().get(ModelOps.LABEL_TRACK)))
                .toList();
        ServingStatusPlanner.Decision decision = ServingStatusPlanner.plan(new ServingStatusPlanner.Inputs(md,
                settings, specProblem, resolution, stableVersion, TrackObservation.of(stableDeployment,
                        stablePods)),
                clock.instant());

        for (ServingStatusPlanner.Reject reject : decision.rejections()) {
            rejections.reject(ns, reject.version().getMetadata().getName(), md.getMetadata().getName(),
                    clock.instant(), reject.reason(), reject.message(), List.of());
        }
        converge(md, settings, decision.tracks(), context);
        for (ServingStatusPlanner.Note note : decision.notes()) {
            events.record(md, note.warning() ? EventRecorder.WARNING : EventRecorder.NORMAL, note.reason(),
                    note.message());
        }
        StatusWriter.write(md, decision.status(), context);
        return UpdateControl.noUpdate();
    }

    private void converge(ModelDeployment md, DeploymentSettings settings, List<TrackPlan> tracks,
            Context<ModelDeployment> context) {
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
