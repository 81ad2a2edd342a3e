package dev.modelops.operator.version;

import java.util.Collection;
import java.util.Optional;

import dev.modelops.operator.common.Pods;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;

/**
 * Pure: the state of one validation Job and what its pod reported ({@code message}, the termination message). A
 * RUNNING attempt whose Job has finished names in {@code waitingFor} the pod whose report has not reached us yet.
 */
record ValidationAttempt(State state, String jobReason, String message, String finishedAt, String waitingFor) {

    ValidationAttempt(State state, String jobReason, String message, String finishedAt) {
        this(state, jobReason, message, finishedAt, null);
    }

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
        if ((complete.isPresent() || failed.isPresent()) && pods.stream().noneMatch(p -> termination(p).isPresent())) {
            // The Job and its pods reach us through two watches, in no set order: a Job seen finished while its pod
            // still shows the validate container running means the pod's last update is on its way (the Job
            // controller counts a pod only once it has terminated). Its termination message is the verdict, so wait
            // for it rather than call the version invalid for lack of a report (unless no pod can still report).
            Optional<String> pending = pods.stream().filter(Pods::mayStillReport)
                    .map(p -> p.getMetadata().getName()).findFirst();
            if (pending.isPresent()) {
                return new ValidationAttempt(State.RUNNING, null, null, null, pending.get());
            }
        }
        if (complete.isPresent()) {
            return new ValidationAttempt(State.SUCCEEDED, null, message, finishedAt);
        }
        if (failed.isPresent()) {
            return new ValidationAttempt(State.FAILED, failed.get().getReason(), message,
                    failed.get().getLastTransitionTime());
        }
        return new ValidationAttempt(State.RUNNING, null, null, null);
    }

    /** The validate container's terminated state, once kubelet has reported it. */
    private static Optional<ContainerStateTerminated> termination(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> ValidationJobPlanner.CONTAINER.equals(c.getName()))
                .map(ContainerStatus::getState)
                .filter(state -> state != null && state.getTerminated() != null)
                .map(ContainerState::getTerminated)
                .findFirst();
    }

    private static Optional<String> terminatedMessage(Pod pod) {
        return termination(pod).map(ContainerStateTerminated::getMessage).filter(m -> m != null && !m.isBlank());
    }

    private static Optional<JobCondition> condition(Job job, String type) {
        if (job.getStatus() == null || job.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return job.getStatus().getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }
}
