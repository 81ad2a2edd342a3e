package dev.modelops.operator.version;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.api.ModelOps;
import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionStatus;
import dev.modelops.api.version.ValidationStatus;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.common.Conditions;
import dev.modelops.operator.common.Times;

/**
 * Pure: given a version, its current validation attempt and who serves it, the status it should have and whether
 * a new validation attempt must start now or later. Transient failures are retried with exponential backoff a
 * bounded number of times; permanent ones are final until someone asks for revalidation.
 */
final class VersionStatusPlanner {

    static final String VALIDATED = "Validated";
    static final String IN_USE = Conditions.IN_USE;

    /** Validation knobs, from the operator's configuration. */
    record Settings(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {
    }

    /** The planned status, the attempt to start now (0 for none) and when to look again (null: on events only). */
    record Decision(ModelVersionStatus status, int startAttempt, Duration requeueAfter) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionStatusPlanner() {
    }

    static Decision plan(ModelVersion version, ValidationAttempt attempt, List<DeploymentReference> servedBy,
            boolean deleting, Settings settings, Instant now) {
        ModelVersionStatus previous = version.getStatus() == null ? new ModelVersionStatus() : version.getStatus();
        ModelVersionStatus status = JSON.convertValue(previous, ModelVersionStatus.class);
        ValidationStatus validation = status.getValidation() == null
                ? new ValidationStatus()
                : status.getValidation();
        status.setValidation(validation);
        status.setObservedGeneration(version.getMetadata().getGeneration());
        status.setDeployments(servedBy.isEmpty() ? null : servedBy);
        int attempts = validation.getAttempts() == null ? 0 : validation.getAttempts();

        String token = version.getMetadata().getAnnotations() == null
                ? null
                : version.getMetadata().getAnnotations().get(ModelOps.ANNOTATION_REVALIDATE);
        boolean finished = previous.getPhase() == VersionPhase.Ready || previous.getPhase() == VersionPhase.Failed;
        boolean revalidate = token != null && !token.equals(validation.getRevalidateToken()) && finished;

        VersionPhase phase;
        String reason;
        String message;
        int start = 0;
        Duration requeue = null;
        if (deleting || (finished && !revalidate)) {
            // Nothing new to decide: keep the verdict; only who serves the version may have changed.
            phase = previous.getPhase() == null ? VersionPhase.Pending : previous.getPhase();
            reason = readyReason(previous);
            message = readyMessage(previous);
        } else if (revalidate || attempts == 0) {
            if (revalidate) {
                validation.setRevalidateToken(token);
                clearResult(status, validation);
                attempts = 0;
            }
            start = attempts + 1;
            phase = VersionPhase.Validating;
            reason = "Validating";
            message = "validation attempt " + start + " of " + settings.maxAttempts() + " started";
        } else {
            switch (attempt.state()) {
                case ABSENT, RUNNING -> {
                    if (attempt.state() == ValidationAttempt.State.ABSENT) {
                        // The attempt's Job is not in the cache: not seen yet, or deleted (by hand, by a TTL) before
                        // it finished. Starting the same attempt again is safe either way: the Job is created only
                        // when the API server does not have it. Without this a version whose Job vanished would stay
                        // Validating for good.
                        start = attempts;
                    }
                    phase = VersionPhase.Validating;
                    reason = "Validating";
                    message = "validation attempt " + attempts + " of " + settings.maxAttempts() + (attempt
                            .waitingFor() == null
                                    ? " running"
                                    : ": the validation Job finished; waiting for its pod " + attempt.waitingFor()
                                            + " to report the result");
                }
                case SUCCEEDED -> {
                    ValidationReport report = ValidationReport.parse(attempt.message());
                    validation.setCompletionTime(finishedTime(attempt, now));
                    if (report != null && report.ok()) {
                        phase = VersionPhase.Ready;
                        reason = "Validated";
                        message = "loaded by ONNX Runtime in " + report.loadMillis() + " ms, " + (report
                                .warmupError() == null
                                        ? "warm-up inference in " + report.warmupMillis() + " ms"
                                        : "warm-up inference failed (served anyway: a warm-up on zeros is no proof "
                                                + "of a broken model): " + report.warmupError());
                        status.setSignature(report.signature());
                        validation.setSha256(report.sha256());
                        validation.setSha256Verified(report.sha256Verified());
                        validation.setSizeBytes(report.sizeBytes());
                        validation.setLoadMillis(report.loadMillis());
                        validation.setWarmupMillis(report.warmupMillis());
                        validation.setWarmupError(report.warmupError());
                    } else {
                        phase = VersionPhase.Failed;
                        reason = "InvalidValidationResult";
                        message = "the validation Job succeeded but did not report a validation result: "
                                + abbreviate(attempt.message());
                    }
                }
                case FAILED -> {
                    validation.setCompletionTime(finishedTime(attempt, now));
                    ValidationReport report = ValidationReport.parse(attempt.message());
                    if ("DeadlineExceeded".equals(attempt.jobReason())) {
                        phase = VersionPhase.Failed;
                        reason = "ValidationTimedOut";
                        message = "validation did not finish within " + settings.timeout().toSeconds() + "s";
                    } else if (report == null || report.ok() || report.knownReason() == null) {
                        phase = VersionPhase.Failed;
                        reason = "InvalidValidationResult";
                        message = "the validation Job failed without a validation report: "
                                + abbreviate(attempt.message());
                    } else if (report.knownReason().isTransient() && attempts < settings.maxAttempts()) {
                        Instant retryAt = Times.parse(validation.getCompletionTime())
                                .plus(backoff(attempts, settings));
                        phase = VersionPhase.Validating;
                        reason = report.reason();
                        if (!now.isBefore(retryAt)) {
                            start = attempts + 1;
                            message = report.message() + "; validation attempt " + start + " of "
                                    + settings.maxAttempts() + " started";
                        } else {
                            requeue = Duration.between(now, retryAt);
                            message = report.message() + "; attempt " + (attempts + 1) + " of "
                                    + settings.maxAttempts() + " at " + Times.format(retryAt);
                        }
                    } else {
                        phase = VersionPhase.Failed;
                        reason = report.reason();
                        message = report.message() + (report.knownReason().isTransient()
                                ? " (gave up after " + attempts + " attempts)"
                                : "");
                    }
                }
                default -> throw new IllegalStateException("unknown attempt state " + attempt.state());
            }
        }
        if (start > 0) {
            validation.setAttempts(start);
        }
        if (phase == VersionPhase.Failed && previous.getPhase() != VersionPhase.Failed) {
            message = message + "; after fixing the cause, annotate " + ModelOps.ANNOTATION_REVALIDATE
                    + "=<any new value> to validate again";
        }

        status.setPhase(phase);
        Conditions conditions = new Conditions()
                .set(Conditions.READY, phase == VersionPhase.Ready, reason, message)
                .set(VALIDATED, phase == VersionPhase.Ready, reason, message)
                .set(IN_USE, !servedBy.isEmpty(), servedBy.isEmpty() ? "NotServed" : "Served",
                        servedBy.isEmpty()
                                ? "no ModelDeployment serves this version"
                                : servedMessage(servedBy,
                                        deleting));
        status.setConditions(conditions.merge(previous.getConditions(), version.getMetadata().getGeneration(), now));
        return new Decision(status, start, requeue);
    }

    /** The status to write over {@code fresh}: ours, with the rejections {@code fresh} holds (VersionRejections owns them). */
    static ModelVersionStatus keepRejections(ModelVersionStatus fresh, ModelVersionStatus planned) {
        ModelVersionStatus result = copy(planned);
        result.setRejections(fresh == null ? null : fresh.getRejections());
        return result;
    }

    static ModelVersionStatus copy(ModelVersionStatus status) {
        return JSON.convertValue(status, ModelVersionStatus.class);
    }

    /** Wait before attempt {@code attempts + 1}: initial, doubling, capped. */
    static Duration backoff(int attempts, Settings settings) {
        Duration wait = settings.initialBackoff().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        return wait.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : wait;
    }

    private static String servedMessage(List<DeploymentReference> servedBy, boolean deleting) {
        String who = servedBy.stream().map(d -> "ModelDeployment " + d.getName() + " (" + d.getTrack() + ")")
                .collect(Collectors.joining(", "));
        return deleting ? "deletion waits until nothing serves this version; served by " + who : "served by " + who;
    }

    private static void clearResult(ModelVersionStatus status, ValidationStatus validation) {
        status.setSignature(null);
        validation.setSha256(null);
        validation.setSha256Verified(null);
        validation.setSizeBytes(null);
        validation.setLoadMillis(null);
        validation.setWarmupMillis(null);
        validation.setWarmupError(null);
        validation.setCompletionTime(null);
        validation.setJob(null);
    }

    private static String readyReason(ModelVersionStatus previous) {
        var ready = Conditions.find(previous.getConditions(), Conditions.READY);
        return ready != null ? ready.getReason() : previous.getPhase() == null ? "Pending" : previous.getPhase().name();
    }

    private static String readyMessage(ModelVersionStatus previous) {
        var ready = Conditions.find(previous.getConditions(), Conditions.READY);
        return ready == null ? "" : ready.getMessage();
    }

    private static String finishedTime(ValidationAttempt attempt, Instant now) {
        return attempt.finishedAt() != null ? attempt.finishedAt() : Times.format(now);
    }

    private static String abbreviate(String text) {
        if (text == null || text.isBlank()) {
            return "(no termination message)";
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 200 ? oneLine : oneLine.substring(0, 200) + "...";
    }
}
