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
import dev.modelops.operator.common.StatusUpdates;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
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
@ControllerConfiguration(name = "modelversion")
public class ModelVersionReconciler implements Reconciler<ModelVersion>, Cleaner<ModelVersion> {

    private static final Logger LOG = Logger.getLogger(ModelVersionReconciler.class);
    /** While deletion waits for deployments to let go, look again this often even without events. */
    static final Duration DELETION_RECHECK = Duration.ofSeconds(10);

    private final KubernetesClient client;
    private final Clock clock;
    private final VersionStatusPlanner.Settings settings;
    private final String runtimeImage;

    public ModelVersionReconciler(KubernetesClient client, Clock clock, OperatorConfig config) {
        this.client = client;
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
        var deployments = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(ModelDeployment.class, ModelVersion.class)
                .withSecondaryToPrimaryMapper(md -> ServingReferences.versionsNamedBy(md).stream()
                        .map(name -> new ResourceID(name, md.getMetadata().getNamespace()))
                        .collect(Collectors.toSet()))
                .build(), context);
        return List.of(jobs, pods, deployments);
    }

    @Override
    public UpdateControl<ModelVersion> reconcile(ModelVersion version, Context<ModelVersion> context) {
        ValidationAttempt attempt = currentAttempt(version, context);
        VersionStatusPlanner.Decision decision = VersionStatusPlanner.plan(version, attempt, servedBy(version,
                context), false, settings, clock.instant());
        if (decision.startAttempt() > 0) {
            startAttempt(version, decision.startAttempt(), context);
            decision.status().getValidation()
                    .setJob(ValidationJobPlanner.jobName(version, decision.startAttempt()));
        }
        UpdateControl<ModelVersion> control = StatusUpdates.patchIfChanged(version, decision.status());
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
        if (StatusUpdates.patchIfChanged(version, decision.status()).isPatchStatus()) {
            // A full status write with the resourceVersion: a conflict fails this pass and JOSDK retries it.
            client.resource(version).updateStatus();
        }
        LOG.infof("deletion of %s/%s waits: still served by %s", version.getMetadata().getNamespace(),
                version.getMetadata().getName(), servedBy.stream().map(DeploymentReference::getName).toList());
        return DeleteControl.noFinalizerRemoval().rescheduleAfter(DELETION_RECHECK);
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
        String attemptLabel = Integer.toString(attempts);
        Job job = context.getSecondaryResources(Job.class).stream()
                .filter(j -> attemptLabel.equals(j.getMetadata().getLabels().get(ValidationJobPlanner.LABEL_ATTEMPT)))
                .findFirst().orElse(null);
        List<Pod> pods = context.getSecondaryResources(Pod.class).stream()
                .filter(p -> attemptLabel.equals(p.getMetadata().getLabels().get(ValidationJobPlanner.LABEL_ATTEMPT)))
                .toList();
        return ValidationAttempt.of(job, pods);
    }

    private void startAttempt(ModelVersion version, int attempt, Context<ModelVersion> context) {
        // Earlier attempts' Jobs (and their pods) go: only the current attempt is of interest.
        context.getSecondaryResources(Job.class).stream()
                .filter(j -> !Integer.toString(attempt)
                        .equals(j.getMetadata().getLabels().get(ValidationJobPlanner.LABEL_ATTEMPT)))
                .forEach(j -> client.resource(j).withPropagationPolicy(
                        io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete());
        Job job = ValidationJobPlanner.desiredJob(version, attempt, runtimeImage, settings.timeout().toSeconds());
        if (client.resource(job).get() == null) {
            client.resource(job).create();
            LOG.infof("validating %s/%s: attempt %d", version.getMetadata().getNamespace(),
                    version.getMetadata().getName(), attempt);
        }
    }
}
