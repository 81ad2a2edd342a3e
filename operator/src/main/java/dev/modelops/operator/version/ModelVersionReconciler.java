package dev.modelops.operator.version;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.jboss.logging.Logger;

import dev.modelops.api.ModelOps;
import dev.modelops.api.deployment.ModelDeployment;
import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.common.OperatorConfig;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.ControlEventFilter;
import dev.modelops.operator.common.EventRecorder;
import dev.modelops.operator.common.ReconcileErrors;
import dev.modelops.operator.common.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

/**
 * Validates each new ModelVersion with a short Job, and keeps a served version from being deleted (a finalizer that
 * is removed only once no ModelDeployment serves it). Decisions are {@link VersionStatusPlanner}'s.
 */
@ControllerConfiguration(name = "modelversion", generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = ControlEventFilter.class))
public class ModelVersionReconciler implements Reconciler<ModelVersion>, Cleaner<ModelVersion> {

    private static final Logger LOG = Logger.getLogger(ModelVersionReconciler.class);
    /** While deletion waits for deployments to let go, look again this often even without events. */
    static final Duration DELETION_RECHECK = Duration.ofSeconds(10);
    static final String BY_MODEL = "by-model";

    private final KubernetesClient client;
    private final EventRecorder events;
    private final Clock clock;
    private final VersionStatusPlanner.Settings settings;
    private final String runtimeImage;

    public ModelVersionReconciler(KubernetesClient client, Clock clock, OperatorConfig config,
            EventRecorder events) {
        this.client = client;
        this.events = events;
        this.clock = clock;
        this.runtimeImage = config.runtimeImage();
        this.settings = new VersionStatusPlanner.Settings(config.validation().maxAttempts(),
                config.validation().initialBackoff(), config.validation().maxBackoff(),
                config.validation().timeout());
    }

    @Override
    public List<EventSource<?, ModelVersion>> prepareEventSources(EventSourceContext<ModelVersion> context) {
        String managed = ModelOps.LABEL_MANAGED_BY + "=" + ModelOps.MANAGED_BY + "," + ModelOps.LABEL_COMPONENT + "="
                + ValidationJobPlanner.COMPONENT;
        var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ModelVersion.class)
                .withLabelSelector(managed).build(), context);
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ModelVersion.class)
                .withName("validation-pods")
                .withLabelSelector(managed)
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get(ModelOps.LABEL_INSTANCE), pod.getMetadata().getNamespace())))
                .build(), context);
        // A deployment's change wakes every version of its model: the one it stopped serving learns it at once, the
        // informer hands the mapper only the new state of the deployment.
        context.getPrimaryCache().addIndexer(BY_MODEL, mv -> mv.getSpec() == null
                ? List.of()
                : List.of(mv.getMetadata().getNamespace() + "/" + mv.getSpec().getModel()));
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ModelDeployment.class, ModelVersion.class)
                .withSecondaryToPrimaryMapper(md -> {
                    Set<ResourceID> ids = ServingReferences.versionsNamedBy(md).stream()
                            .map(name -> new ResourceID(name, md.getMetadata().getNamespace()))
                            .collect(Collectors.toCollection(java.util.HashSet::new));
                    if (md.getSpec() != null) {
                        context.getPrimaryCache().byIndex(BY_MODEL, md.getMetadata().getNamespace() + "/"
                                + md.getSpec().getModel()).forEach(v -> ids.add(ResourceID.fromResource(v)));
                    }
                    return ids;
                })
                .withOnUpdateFilter((after, before) -> ServingReferences.servingChanged(before, after))
                .build(), context);
        return List.of(jobs, pods, deployments);
    }

    @Override
    public UpdateControl<ModelVersion> reconcile(ModelVersion version, Context<ModelVersion> context) {
        ValidationAttempt attempt = currentAttempt(version, context);
        VersionStatusPlanner.Decision decision = VersionStatusPlanner.plan(version, attempt, servedBy(version,
                context), false, settings, clock.instant());
        String token = decision.status().getValidation().getRevalidateToken();
        if (decision.startAttempt() > 0) {
            startAttempt(version, token, decision.startAttempt(), context);
            decision.status().getValidation()
                    .setJob(ValidationJobPlanner.jobName(version, token, decision.startAttempt()));
        }
        recordEvents(version, decision.status());
        // The rejections belong to the rollout code (VersionRejections): a concurrent one survives this write.
        StatusWriter.write(version, decision.status(), context, VersionStatusPlanner::keepRejections);
        UpdateControl<ModelVersion> control = UpdateControl.noUpdate();
        return decision.requeueAfter() == null ? control : control.rescheduleAfter(decision.requeueAfter());
    }

    @Override
    public DeleteControl cleanup(ModelVersion version, Context<ModelVersion> context) {
        List<DeploymentReference> servedBy = servedBy(version, context);
        if (servedBy.isEmpty()) {
            return DeleteControl.defaultDelete();
        }
        VersionStatusPlanner.Decision decision = VersionStatusPlanner.plan(version, ValidationAttempt.absent(),
                servedBy, true, settings, clock.instant());
        StatusWriter.write(version, decision.status(), context, VersionStatusPlanner::keepRejections);
        LOG.infof("deletion of %s/%s waits: still served by %s", version.getMetadata().getNamespace(),
                version.getMetadata().getName(), servedBy.stream().map(DeploymentReference::getName).toList());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_RECHECK);
    }

    /** Events on the transitions a person cares about: validated, failed. */
    private void recordEvents(ModelVersion version, ModelVersionStatus planned) {
        VersionPhase before = version.getStatus() == null ? null : version.getStatus().getPhase();
        if (planned.getPhase() == before) {
            return;
        }
        var ready = Conditions.find(planned.getConditions(), Conditions.READY);
        if (planned.getPhase() == VersionPhase.Ready) {
            events.normal(version, "Validated", ready.getMessage());
        } else if (planned.getPhase() == VersionPhase.Failed) {
            events.warning(version, ready.getReason(), ready.getMessage());
        } else if (planned.getPhase() == VersionPhase.Validating && before != VersionPhase.Validating) {
            events.normal(version, "Validating", ready.getMessage());
        }
    }

    @Override
    public ErrorStatusUpdateControl<ModelVersion> updateErrorStatus(ModelVersion version,
            Context<ModelVersion> context, Exception e) {
        LOG.warnf(e, "reconciling version %s/%s failed; retrying", version.getMetadata().getNamespace(),
                version.getMetadata().getName());
        ModelVersionStatus status = version.getStatus() == null
                ? new ModelVersionStatus()
                : VersionStatusPlanner.copy(version.getStatus());
        status.setConditions(ReconcileErrors.with(status.getConditions(), e, version.getMetadata().getGeneration(),
                clock.instant()));
        try {
            StatusWriter.write(version, status, context, VersionStatusPlanner::keepRejections);
        } catch (RuntimeException writeFailed) {
            LOG.warnf("could not record the error on %s/%s: %s", version.getMetadata().getNamespace(),
                    version.getMetadata().getName(), writeFailed.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    /** Deployments are read fresh when deleting: a stale cache must never let a served version go. */
    private List<DeploymentReference> servedBy(ModelVersion version, Context<ModelVersion> context) {
        List<ModelDeployment> deployments = context.getSecondaryResources(ModelDeployment.class).stream().toList();
        if (version.getMetadata().getDeletionTimestamp() != null) {
            deployments = client.resources(ModelDeployment.class).inNamespace(version.getMetadata().getNamespace())
                    .list().getItems();
        }
        return ServingReferences.of(version.getMetadata().getName(), deployments);
    }

    private ValidationAttempt currentAttempt(ModelVersion version, Context<ModelVersion> context) {
        Integer attempts = version.getStatus() == null || version.getStatus().getValidation() == null
                ? null
                : version.getStatus().getValidation().getAttempts();
        if (attempts == null) {
            return ValidationAttempt.absent();
        }
        String round = ValidationJobPlanner.round(version.getStatus().getValidation().getRevalidateToken());
        Job job = context.getSecondaryResources(Job.class).stream()
                .filter(j -> isAttempt(j.getMetadata().getLabels(), round, attempts))
                .findFirst().orElse(null);
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> isAttempt(p.getMetadata().getLabels(), round, attempts))
                .toList();
        return ValidationAttempt.of(job, pods);
    }

    private static boolean isAttempt(java.util.Map<String, String> labels, String round, int attempt) {
        return round.equals(labels.getOrDefault(ValidationJobPlanner.LABEL_ROUND, ValidationJobPlanner.round(null)))
                && Integer.toString(attempt).equals(labels.get(ValidationJobPlanner.LABEL_ATTEMPT));
    }

    private void startAttempt(ModelVersion version, String token, int attempt, Context<ModelVersion> context) {
        // Earlier attempts' and rounds' Jobs (and their pods) go: only the current attempt is of interest.
        String round = ValidationJobPlanner.round(token);
        context.getSecondaryResources(Job.class).stream()
                .filter(j -> !isAttempt(j.getMetadata().getLabels(), round, attempt))
                .forEach(j -> client.resource(j).withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        Job job = ValidationJobPlanner.desiredJob(version, token, attempt, runtimeImage, settings.timeout()
                .toSeconds());
        if (client.resource(job).get() == null) {
            client.resource(job).create();
            LOG.infof("validating %s/%s: attempt %d", version.getMetadata().getNamespace(),
                    version.getMetadata().getName(), attempt);
        }
    }
}
