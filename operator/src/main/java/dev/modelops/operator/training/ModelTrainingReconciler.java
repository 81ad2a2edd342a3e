package dev.modelops.operator.training;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.ModelOps;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.training.ModelTrainingStatus;
import dev.modelops.api.training.TrainingPhase;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.EventRecorder;
import dev.modelops.operator.common.ReconcileErrors;
import dev.modelops.operator.common.StatusWriter;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonDeletingOperation;
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
 * Runs a ModelTraining as a Job and turns its result into the next ModelVersion. Orchestration only: what to create
 * is {@link TrainingJobPlanner}'s decision, what it means is {@link TrainingObservation}'s and
 * {@link TrainingStatusPlanner}'s.
 */
@ControllerConfiguration(name = "modeltraining")
public class ModelTrainingReconciler implements Reconciler<ModelTraining> {

    private static final Logger LOG = Logger.getLogger(ModelTrainingReconciler.class);
    /** Set on a Job the operator suspended for spec.suspend, so that resuming never fights Kueue's own suspension. */
    static final String SUSPENDED_BY_USER = ModelOps.GROUP + "/suspended-by-user";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KubernetesClient client;
    private final ModelVersionRegistrar registrar;
    private final Clock clock;
    private final EventRecorder events;

    public ModelTrainingReconciler(KubernetesClient client, ModelVersionRegistrar registrar, Clock clock,
            EventRecorder events) {
        this.client = client;
        this.events = events;
        this.registrar = registrar;
        this.clock = clock;
    }

    @Override
    public List<EventSource<?, ModelTraining>> prepareEventSources(EventSourceContext<ModelTraining> context) {
        String managed = ModelOps.LABEL_MANAGED_BY + "=" + ModelOps.MANAGED_BY + "," + ModelOps.LABEL_COMPONENT + "="
                + TrainingJobPlanner.COMPONENT;
        var jobs = new InformerEventSource<>(InformerEventSourceConfiguration.from(Job.class, ModelTraining.class)
                .withLabelSelector(managed).build(), context);
        var services = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Service.class, ModelTraining.class).withLabelSelector(managed).build(), context);
        // Pods are owned by the Job, not the training: map them back through the training label.
        var pods = new InformerEventSource<>(InformerEventSourceConfiguration.from(Pod.class, ModelTraining.class)
                .withLabelSelector(managed)
                .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(
                        pod.getMetadata().getLabels().get(ModelOps.LABEL_TRAINING), pod.getMetadata().getNamespace())))
                .build(), context);
        return List.of(jobs, services, pods);
    }

    @Override
    public UpdateControl<ModelTraining> reconcile(ModelTraining training, Context<ModelTraining> context) {
        ModelTrainingStatus previous = training.getStatus();
        if (previous != null && previous.getPhase() != null && previous.getPhase().isFinished()) {
            // A finished training is history: its Job may be gone, its result is recorded. Only the generation moves.
            return write(training, finishedStatus(training, previous), context);
        }

        List<String> errors = TrainingJobPlanner.specErrors(training);
        if (!errors.isEmpty()) {
            return write(training, TrainingStatusPlanner.plan(training, TrainingObservation.of(null, List.of()),
                    TrainingStatusPlanner.Outcome.invalidSpec(errors), clock.instant()), context);
        }

        TrainingJobPlanner.desiredService(training).ifPresent(desired -> {
            if (context.getSecondaryResource(Service.class).isEmpty()) {
                client.resource(desired).createOr(NonDeletingOperation::update);
            }
        });
        Job job = context.getSecondaryResource(Job.class).orElse(null);
        if (job == null) {
            job = client.resource(TrainingJobPlanner.desiredJob(training)).create();
            LOG.infof("created Job %s for training %s/%s", job.getMetadata().getName(),
                    training.getMetadata().getNamespace(), training.getMetadata().getName());
        } else {
            job = applySuspend(training, job);
        }

        TrainingObservation observed = TrainingObservation.of(job, context.getSecondaryResources(Pod.class));
        TrainingStatusPlanner.Outcome outcome = TrainingStatusPlanner.Outcome.none();
        if (observed.state() == TrainingObservation.State.COMPLETE) {
            outcome = recordResult(training, observed);
        }
        return write(training, TrainingStatusPlanner.plan(training, observed, outcome, clock.instant()), context);
    }

    /** Writes the planned status, and records an Event when the training starts running or ends. */
    private UpdateControl<ModelTraining> write(ModelTraining training, ModelTrainingStatus planned,
            Context<ModelTraining> context) {
        TrainingPhase before = training.getStatus() == null ? null : training.getStatus().getPhase();
        TrainingPhase after = planned.getPhase();
        if (after != before && after != null) {
            var ready = Conditions.find(planned.getConditions(), Conditions.READY);
            String message = ready == null ? after.name() : ready.getMessage();
            if (after == TrainingPhase.Failed) {
                events.warning(training, ready == null ? "Failed" : ready.getReason(), message);
            } else if (after == TrainingPhase.Succeeded || after == TrainingPhase.Running) {
                events.normal(training, after.name(), message);
            }
        }
        StatusWriter.write(training, planned, context);
        return UpdateControl.noUpdate();
    }

    @Override
    public ErrorStatusUpdateControl<ModelTraining> updateErrorStatus(ModelTraining training,
            Context<ModelTraining> context, Exception e) {
        LOG.warnf(e, "reconciling training %s/%s failed; retrying", training.getMetadata().getNamespace(),
                training.getMetadata().getName());
        ModelTrainingStatus status = training.getStatus() == null
                ? new ModelTrainingStatus()
                : JSON.convertValue(training.getStatus(), ModelTrainingStatus.class);
        status.setConditions(ReconcileErrors.with(status.getConditions(), e, training.getMetadata().getGeneration(),
                clock.instant()));
        try {
            StatusWriter.write(training, status, context);
        } catch (RuntimeException writeFailed) {
            LOG.warnf("could not record the error on %s/%s: %s", training.getMetadata().getNamespace(),
                    training.getMetadata().getName(), writeFailed.getMessage());
        }
        return ErrorStatusUpdateControl.noStatusUpdate();
    }

    private TrainingStatusPlanner.Outcome recordResult(ModelTraining training, TrainingObservation observed) {
        TrainerResult result;
        try {
            result = TrainerResult.parse(observed.resultMessage());
        } catch (TrainerResult.InvalidResultException e) {
            return TrainingStatusPlanner.Outcome.unusableResult(e.reason(), e.getMessage());
        }
        String version = registrar.register(training, result, observed.trainerImage());
        return TrainingStatusPlanner.Outcome.produced(result, version);
    }

    /**
     * spec.suspend is the only field that changes after creation. The operator suspends the Job and marks it; it
     * resumes only a Job it marked, because with a queue Kueue keeps the Job suspended until admission.
     */
    private Job applySuspend(ModelTraining training, Job job) {
        boolean wanted = Boolean.TRUE.equals(training.getSpec().getSuspend());
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        Map<String, String> annotations = job.getMetadata().getAnnotations();
        boolean markedByUs = annotations != null && annotations.containsKey(SUSPENDED_BY_USER);
        if (wanted && !suspended) {
            return client.resource(job).edit(j -> {
                j.getSpec().setSuspend(true);
                j.getMetadata().setAnnotations(withMark(j.getMetadata().getAnnotations()));
                return j;
            });
        }
        if (!wanted && suspended && markedByUs) {
            return client.resource(job).edit(j -> {
                j.getSpec().setSuspend(false);
                j.getMetadata().getAnnotations().remove(SUSPENDED_BY_USER);
                return j;
            });
        }
        if (wanted && suspended && !markedByUs) {
            // Suspended by Kueue (queued) and now also by the user: mark it so resuming is ours to do.
            return client.resource(job).edit(j -> {
                j.getMetadata().setAnnotations(withMark(j.getMetadata().getAnnotations()));
                return j;
            });
        }
        return job;
    }

    private static Map<String, String> withMark(Map<String, String> annotations) {
        Map<String, String> marked = annotations == null ? new HashMap<>() : new HashMap<>(annotations);
        marked.put(SUSPENDED_BY_USER, "true");
        return marked;
    }

    private ModelTrainingStatus finishedStatus(ModelTraining training, ModelTrainingStatus previous) {
        ModelTrainingStatus status = JSON.convertValue(previous, ModelTrainingStatus.class);
        Long generation = training.getMetadata().getGeneration();
        status.setObservedGeneration(generation);
        if (status.getConditions() != null) {
            status.getConditions().forEach(c -> c.setObservedGeneration(generation));
        }
        return status;
    }
}
