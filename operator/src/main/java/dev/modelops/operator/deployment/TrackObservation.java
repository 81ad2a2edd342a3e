package dev.modelops.operator.deployment;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.ModelOps;
import dev.modelops.contract.FailureReason;
import dev.modelops.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;

/**
 * Pure: what one track's Deployment and pods say — which version its template runs, how many pods are ready, whether
 * its rollout finished, and why its new pods do not come up when they do not (a failed fetch, a crash loop, an image
 * that cannot be pulled, the progress deadline).
 */
public record TrackObservation(boolean exists, Integer templateVersion, int wanted, int pods, int updated,
        int ready, boolean rolledOut, Failure failure) {

    /** Why the track's current pods cannot become ready; {@code permanent}: waiting will not help. */
    public record Failure(String reason, String message, boolean permanent) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static TrackObservation absent() {
        return new TrackObservation(false, null, 0, 0, 0, 0, false, null);
    }

    public static TrackObservation of(Deployment deployment, Collection<Pod> pods) {
        if (deployment == null) {
            return absent();
        }
        Integer templateVersion = version(deployment.getSpec().getTemplate().getMetadata().getLabels()
                .get(ModelOps.LABEL_VERSION));
        int wanted = deployment.getSpec().getReplicas() == null ? 1 : deployment.getSpec().getReplicas();
        var st = deployment.getStatus();
        long generation = deployment.getMetadata().getGeneration() == null
                ? 0
                : deployment.getMetadata().getGeneration();
        boolean observed = st != null && st.getObservedGeneration() != null && st.getObservedGeneration() >= generation;
        int total = st == null || st.getReplicas() == null ? 0 : st.getReplicas();
        int updated = st == null || st.getUpdatedReplicas() == null ? 0 : st.getUpdatedReplicas();
        int ready = st == null || st.getReadyReplicas() == null ? 0 : st.getReadyReplicas();
        int available = st == null || st.getAvailableReplicas() == null ? 0 : st.getAvailableReplicas();
        boolean rolledOut = observed && updated >= wanted && total <= wanted && available >= wanted;

        Failure failure = null;
        Optional<DeploymentCondition> progressing = st == null || st.getConditions() == null
                ? Optional.empty()
                : st.getConditions().stream().filter(c -> "Progressing".equals(c.getType())).findFirst();
        if (!rolledOut) {
            failure = podFailure(pods, templateVersion);
            if (progressing.isPresent() && "False".equals(progressing.get().getStatus())
                    && "ProgressDeadlineExceeded".equals(progressing.get().getReason())) {
                String why = failure == null ? "" : "; " + failure.reason() + ": " + failure.message();
                failure = new Failure("ProgressDeadlineExceeded", "the new pods did not become ready within "
                        + ServingPlanner.PROGRESS_DEADLINE_SECONDS + "s" + why, true);
            }
        }
        return new TrackObservation(true, templateVersion, wanted, total, updated, ready, rolledOut, failure);
    }

    /** The first pod of the template's version that reports why it cannot run, newest first. */
    static Failure podFailure(Collection<Pod> pods, Integer version) {
        return pods.stream()
                .filter(p -> version != null && String.valueOf(version).equals(p.getMetadata().getLabels().get(
                        ModelOps.LABEL_VERSION)))
                .sorted(Comparator.comparing((Pod p) -> p.getMetadata().getCreationTimestamp() == null
                        ? ""
                        : p.getMetadata().getCreationTimestamp()).reversed())
                .map(TrackObservation::failureOf)
                .flatMap(Optional::stream)
                .findFirst().orElse(null);
    }

    private static Optional<Failure> failureOf(Pod pod) {
        if (pod.getStatus() == null) {
            return Optional.empty();
        }
        if (pod.getStatus().getInitContainerStatuses() != null) {
            for (ContainerStatus init : pod.getStatus().getInitContainerStatuses()) {
                Optional<Failure> fetch = fetchFailure(init);
                if (fetch.isPresent()) {
                    return fetch;
                }
            }
        }
        if (pod.getStatus().getContainerStatuses() != null) {
            for (ContainerStatus container : pod.getStatus().getContainerStatuses()) {
                var waiting = container.getState() == null ? null : container.getState().getWaiting();
                if (waiting == null || waiting.getReason() == null) {
                    continue;
                }
                switch (waiting.getReason()) {
                    case "CrashLoopBackOff" -> {
                        return Optional.of(new Failure("CrashLoopBackOff", "the inference server keeps exiting"
                                + lastExit(container), false));
                    }
                    case "ImagePullBackOff", "ErrImagePull", "InvalidImageName" -> {
                        return Optional.of(new Failure("ImagePullFailed", "image " + container.getImage()
                                + " cannot be pulled: " + nullToEmpty(waiting.getMessage()), false));
                    }
                    case "CreateContainerConfigError" -> {
                        return Optional.of(new Failure("ContainerConfigError", nullToEmpty(waiting.getMessage()),
                                false));
                    }
                    default -> {
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** The fetch init container ended in failure: its termination message is the fetch report. */
    private static Optional<Failure> fetchFailure(ContainerStatus init) {
        if (!ServingPlanner.INIT_CONTAINER.equals(init.getName())) {
            return Optional.empty();
        }
        var terminated = init.getState() == null ? null : init.getState().getTerminated();
        if (terminated == null && init.getLastState() != null) {
            terminated = init.getLastState().getTerminated();
        }
        if (terminated == null || terminated.getExitCode() == null || terminated.getExitCode() == 0) {
            return Optional.empty();
        }
        String message = terminated.getMessage();
        FailureReason reason = null;
        String detail = message;
        try {
            JsonNode report = message == null ? null : JSON.readTree(message);
            if (report != null && report.isObject()) {
                reason = FailureReason.parse(report.path(RuntimeContract.REPORT_REASON).asText(null));
                detail = report.path(RuntimeContract.REPORT_MESSAGE).asText(message);
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            // not a report: keep the raw message (a crash's log tail)
        }
        boolean permanent = reason != null && !reason.isTransient();
        return Optional.of(new Failure("ArtifactFetchFailed", (reason == null ? "" : reason.name() + ": ")
                + nullToEmpty(detail), permanent));
    }

    private static String lastExit(ContainerStatus container) {
        var last = container.getLastState() == null ? null : container.getLastState().getTerminated();
        if (last == null) {
            return "";
        }
        String message = last.getMessage() == null || last.getMessage().isBlank()
                ? ""
                : ": " + abbreviate(last
                        .getMessage());
        return " (exit code " + last.getExitCode() + message + ")";
    }

    private static String abbreviate(String text) {
        String one = text.strip().replaceAll("\\s+", " ");
        return one.length() <= 300 ? one : one.substring(one.length() - 300);
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }

    private static Integer version(String label) {
        try {
            return label == null ? null : Integer.valueOf(label);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
