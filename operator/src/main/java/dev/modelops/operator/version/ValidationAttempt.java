package dev.modelops.operator.version;

import java.util.Collection;
import java.util.Optional;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/** Pure: the state of one validation Job and what its pod reported. */
record ValidationAttempt(State state, String jobReason, String message, String finishedAt) {

    enum State {
        ABSENT, RUNNING, SUCCEEDED, FAILED
    }

    static ValidationAttempt absent() {
        return new ValidationAttempt(State.ABSENT, null, null, null);
    }

    static ValidationAttempt of(Job job, Collection<Pod> pods) {
        if (job == null) {
            return absent();
        }
        Optional<JobCondition> failed = condition(job, "Failed");
        Optional<JobCondition> complete = condition(job, "Complete");
        String message = pods.stream()
                .map(ValidationAttempt::terminatedMessage)
                .flatMap(Optional::stream)
                .findFirst().orElse(null);
        String finishedAt = job.getStatus() == null ? null : job.getStatus().getCompletionTime();
        if (complete.isPresent()) {
            return new ValidationAttempt(State.SUCCEEDED, null, message, finishedAt);
        }
        if (failed.isPresent()) {
            return new ValidationAttempt(State.FAILED, failed.get().getReason(), message,
                    failed.get().getLastTransitionTime());
        }
        return new ValidationAttempt(State.RUNNING, null, null, null);
    }

    private static Optional<String> terminatedMessage(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> ValidationJobPlanner.CONTAINER.equals(c.getName()))
                .map(ContainerStatus::getState)
                .filter(s -> s != null && s.getTerminated() != null)
                .map(s -> s.getTerminated().getMessage())
                .filter(m -> m != null && !m.isBlank())
                .findFirst();
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }
}
