package dev.modelops.operator.training;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import dev.modelops.operator.common.Pods;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;

/** Pure: what the Job and its pods say about a training, read the way kubelet and the Job controller write them. */
record TrainingObservation(
        State state,
        int active,
        int succeeded,
        int failed,
        String startTime,
        String completionTime,
        String failureReason,
        String failureMessage,
        String resultMessage,
        String trainerImage,
        String jobSpecHash) {

    /**
     * COMPLETING: the Job is complete but its rank-0 pod, still in the cache, neither being deleted nor in a final
     * phase, does not show its trainer container terminated yet. The Job and its pods come through two watches in no
     * set order, and the Job controller counts a pod only once it has terminated, so the pod's last update (whose
     * termination message is the training's result) is on its way: the result is read then, not called missing now.
     */
    enum State {
        NOT_CREATED, SUSPENDED, PENDING, RUNNING, COMPLETING, COMPLETE, FAILED
    }

    static TrainingObservation of(Job job, Collection<Pod> pods) {
        if (job == null) {
            return new TrainingObservation(State.NOT_CREATED, 0, 0, 0, null, null, null, null, null, null, null);
        }
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        int active = nonNull(status.getActive());
        int succeeded = nonNull(status.getSucceeded());
        int failed = nonNull(status.getFailed());

        Optional<JobCondition> failedCondition = trueCondition(status, "Failed");
        Optional<JobCondition> completeCondition = trueCondition(status, "Complete");
        Optional<Pod> rankZero = rankZero(pods);
        String trainerImage = rankZero.flatMap(TrainingObservation::trainerStatus).map(ContainerStatus::getImageID)
                .map(TrainingObservation::imageReference).orElse(null);

        State state;
        String reason = null;
        String message = null;
        if (failedCondition.isPresent()) {
            state = State.FAILED;
            reason = Optional.ofNullable(failedCondition.get().getReason()).orElse("JobFailed");
            message = failedCondition.get().getMessage();
            Optional<ContainerStateTerminated> lastFailure = lastFailure(pods);
            if (lastFailure.isPresent()) {
                ContainerStateTerminated t = lastFailure.get();
                String podMessage = t.getMessage() == null || t.getMessage().isBlank()
                        ? t.getReason()
                        : t.getMessage().strip();
                message = (message == null ? "" : message + "; ") + "last failed worker (exit code "
                        + t.getExitCode() + "): " + podMessage;
            }
        } else if (completeCondition.isPresent()) {
            state = rankZero.filter(p -> Pods.mayStillReport(p) && trainerTermination(p).isEmpty()).isPresent()
                    ? State.COMPLETING
                    : State.COMPLETE;
        } else if (Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            state = State.SUSPENDED;
        } else if (active > 0) {
            state = State.RUNNING;
        } else {
            state = State.PENDING;
        }
        String result = state == State.COMPLETE
                ? rankZero.flatMap(TrainingObservation::trainerTermination).map(ContainerStateTerminated::getMessage)
                        .orElse(null)
                : null;
        return new TrainingObservation(state, active, succeeded, failed, status.getStartTime(),
                status.getCompletionTime(), reason, message, result, trainerImage,
                job.getMetadata().getAnnotations() == null
                        ? null
                        : job.getMetadata().getAnnotations().get(TrainingJobPlanner.SPEC_HASH_ANNOTATION));
    }

    /** Rank 0 is completion index 0 of an Indexed Job, or the successful pod of a single-pod one. */
    private static Optional<Pod> rankZero(Collection<Pod> pods) {
        return pods.stream()
                .filter(p -> {
                    String index = p.getMetadata().getAnnotations() == null
                            ? null
                            : p.getMetadata().getAnnotations().get(TrainingJobPlanner.COMPLETION_INDEX_ANNOTATION);
                    return index == null || "0".equals(index);
                })
                .max(Comparator.comparing((Pod p) -> "Succeeded".equals(phase(p)))
                        // A failed or departing pod never outranks its replacement (creation times tie within a
                        // second).
                        .thenComparing(p -> !"Failed".equals(phase(p))
                                && p.getMetadata().getDeletionTimestamp() == null)
                        .thenComparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
    }

    private static Optional<ContainerStateTerminated> lastFailure(Collection<Pod> pods) {
        return pods.stream()
                .map(TrainingObservation::trainerTermination)
                .flatMap(Optional::stream)
                .filter(t -> t.getExitCode() != null && t.getExitCode() != 0)
                .max(Comparator.comparing(t -> String.valueOf(t.getFinishedAt())));
    }

    private static Optional<ContainerStatus> trainerStatus(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return Optional.empty();
        }
        return pod.getStatus().getContainerStatuses().stream()
                .filter(c -> TrainingJobPlanner.CONTAINER.equals(c.getName())).findFirst();
    }

    private static Optional<ContainerStateTerminated> trainerTermination(Pod pod) {
        return trainerStatus(pod).map(ContainerStatus::getState).map(s -> s.getTerminated());
    }

    /** Container runtimes report "docker-pullable://repo@sha256:..." or "repo@sha256:..."; keep the reference. */
    static String imageReference(String imageId) {
        if (imageId == null || imageId.isBlank()) {
            return null;
        }
        int scheme = imageId.indexOf("://");
        return scheme >= 0 ? imageId.substring(scheme + 3) : imageId;
    }

    private static String phase(Pod pod) {
        return pod.getStatus() == null ? null : pod.getStatus().getPhase();
    }

    private static Optional<JobCondition> trueCondition(JobStatus status, String type) {
        if (status.getConditions() == null) {
            return Optional.empty();
        }
        return status.getConditions().stream()
                .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
    }

    private static int nonNull(Integer value) {
        return value == null ? 0 : value;
    }
}
