package dev.modelops.operator.training;

import java.time.Instant;
import java.util.List;

import dev.modelops.api.common.Artifact;
import dev.modelops.api.common.ArtifactFormat;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.training.ModelTrainingStatus;
import dev.modelops.api.training.TrainingPhase;
import dev.modelops.api.training.WorkerCounts;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.Times;

/** Pure: the status a training should have, given what was observed and what the pass produced. */
final class TrainingStatusPlanner {

    static final String RUNNING = "Running";
    static final String SUCCEEDED = "Succeeded";
    static final String FAILED = "Failed";
    static final String SUSPENDED = "Suspended";
    static final String SPEC_CHANGED = "SpecChanged";

    /** What this pass established beyond the observation: a spec error, the result, or why the result is unusable. */
    record Outcome(List<String> specErrors, TrainerResult result, String modelVersion, String resultReason,
            String resultMessage) {

        static Outcome none() {
            return new Outcome(List.of(), null, null, null, null);
        }

        static Outcome invalidSpec(List<String> errors) {
            return new Outcome(errors, null, null, null, null);
        }

        static Outcome produced(TrainerResult result, String modelVersion) {
            return new Outcome(List.of(), result, modelVersion, null, null);
        }

        static Outcome unusableResult(String reason, String message) {
            return new Outcome(List.of(), null, null, reason, message);
        }
    }

    private TrainingStatusPlanner() {
    }

    static ModelTrainingStatus plan(ModelTraining training, TrainingObservation observed, Outcome outcome,
            Instant now) {
        TrainingSettings settings = TrainingSettings.of(training.getSpec());
        ModelTrainingStatus previous = training.getStatus() == null
                ? new ModelTrainingStatus()
                : training.getStatus();
        ModelTrainingStatus status = new ModelTrainingStatus();
        Conditions conditions = new Conditions();

        TrainingPhase phase;
        String reason;
        String message;
        if (!outcome.specErrors().isEmpty()) {
            phase = TrainingPhase.Failed;
            reason = "InvalidSpec";
            message = String.join("; ", outcome.specErrors());
        } else {
            switch (observed.state()) {
                case NOT_CREATED -> {
                    phase = TrainingPhase.Pending;
                    reason = "CreatingJob";
                    message = "creating the training Job";
                }
                case SUSPENDED -> {
                    if (settings.suspend()) {
                        phase = TrainingPhase.Suspended;
                        reason = "Suspended";
                        message = "spec.suspend is true; set it to false to resume";
                    } else if (settings.queue() != null) {
                        phase = TrainingPhase.Queued;
                        reason = "WaitingForAdmission";
                        message = "waiting for Kueue to admit all " + settings.workers() + " workers from queue "
                                + settings.queue();
                    } else {
                        phase = TrainingPhase.Pending;
                        reason = "Resuming";
                        message = "resuming the training Job";
                    }
                }
                case PENDING -> {
                    phase = TrainingPhase.Pending;
                    reason = "WaitingForWorkers";
                    message = "waiting for worker pods to start";
                }
                case RUNNING -> {
                    phase = TrainingPhase.Running;
                    reason = "WorkersRunning";
                    message = observed.active() + " of " + settings.workers() + " workers running";
                }
                case COMPLETING -> {
                    phase = TrainingPhase.Running;
                    reason = "AwaitingResult";
                    message = "the training Job completed; waiting for its rank-0 pod to report the result";
                }
                case COMPLETE -> {
                    if (outcome.modelVersion() != null) {
                        phase = TrainingPhase.Succeeded;
                        reason = "ModelVersionCreated";
                        message = "produced ModelVersion " + outcome.modelVersion();
                    } else {
                        phase = TrainingPhase.Failed;
                        reason = outcome.resultReason() == null ? "MissingResult" : outcome.resultReason();
                        message = outcome.resultMessage();
                    }
                }
                case FAILED -> {
                    phase = TrainingPhase.Failed;
                    reason = observed.failureReason();
                    message = observed.failureMessage();
                }
                default -> throw new IllegalStateException("unknown state " + observed.state());
            }
        }

        status.setPhase(phase);
        status.setObservedGeneration(training.getMetadata().getGeneration());
        status.setJobName(observed.state() == TrainingObservation.State.NOT_CREATED
                ? null
                : TrainingJobPlanner.jobName(training));
        status.setStartTime(observed.startTime());
        status.setCompletionTime(phase.isFinished()
                ? firstNonNull(observed.completionTime(), previous.getCompletionTime(), Times.format(now))
                : null);
        int started = observed.active() + observed.succeeded() > 0 ? 1 : 0;
        int attempts = observed.failed() + started;
        status.setAttempts(attempts == 0 ? null : attempts);
        if (observed.state() != TrainingObservation.State.NOT_CREATED) {
            WorkerCounts workers = new WorkerCounts();
            workers.setActive(observed.active());
            workers.setSucceeded(observed.succeeded());
            workers.setFailed(observed.failed());
            status.setWorkers(workers);
        }
        if (outcome.result() != null) {
            status.setMetrics(outcome.result().metrics());
            Artifact artifact = new Artifact();
            artifact.setUri(outcome.result().artifactUri());
            artifact.setSha256(outcome.result().sha256());
            artifact.setFormat(ArtifactFormat.onnx);
            status.setArtifact(artifact);
            status.setModelVersion(outcome.modelVersion());
        }

        conditions.set(Conditions.READY, phase == TrainingPhase.Succeeded, reason, message);
        conditions.set(RUNNING, phase == TrainingPhase.Running, reason, message);
        conditions.set(SUCCEEDED, phase == TrainingPhase.Succeeded, reason, message);
        conditions.set(FAILED, phase == TrainingPhase.Failed, reason, message);
        conditions.set(SUSPENDED, phase == TrainingPhase.Suspended || phase == TrainingPhase.Queued, reason,
                message);
        if (observed.jobSpecHash() != null) {
            boolean changed = !observed.jobSpecHash().equals(TrainingJobPlanner.specHash(training));
            conditions.set(SPEC_CHANGED, changed, changed ? "ImmutableFieldChanged" : "AsCreated", changed
                    ? "spec changed after the training's Job was created (a field the API server does not compare: "
                            + "trainer.env, trainer.resources or the pod template's tolerations, affinity, volumes, "
                            + "volume mounts, image pull secrets or annotations); the training goes on with the spec it "
                            + "was created with, and its version's lineage records that one. Revert the change, or "
                            + "create a new ModelTraining to train with it"
                    : "the Job runs the spec as created");
        }
        status.setConditions(conditions.merge(previous.getConditions(), training.getMetadata().getGeneration(), now));
        return status;
    }

    private static String firstNonNull(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
