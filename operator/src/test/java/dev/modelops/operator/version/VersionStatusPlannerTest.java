package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.modelops.api.ModelOps;
import dev.modelops.api.version.DeploymentReference;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.VersionPhase;
import dev.modelops.operator.common.Conditions;

class VersionStatusPlannerTest {

    static final Instant NOW = Instant.parse("2026-11-22T10:10:00Z");
    static final VersionStatusPlanner.Settings SETTINGS = new VersionStatusPlanner.Settings(3,
            Duration.ofSeconds(30), Duration.ofMinutes(10), Duration.ofMinutes(5));

    private static VersionStatusPlanner.Decision plan(ModelVersion v, ValidationAttempt attempt) {
        return VersionStatusPlanner.plan(v, attempt, List.of(), false, SETTINGS, NOW);
    }

    /** Applies a decision as the reconciler would, so the next pass starts from it. */
    private static ModelVersion after(ModelVersion v, VersionStatusPlanner.Decision d) {
        v.setStatus(d.status());
        return v;
    }

    private static ValidationAttempt failed(String message, String finishedAt) {
        return new ValidationAttempt(ValidationAttempt.State.FAILED, "BackoffLimitExceeded", message, finishedAt);
    }

    @Test
    void aNewVersionStartsItsFirstAttempt() {
        var d = plan(Versions.version("iris", 1), ValidationAttempt.absent());
        assertThat(d.startAttempt()).isEqualTo(1);
        assertThat(d.status().getPhase()).isEqualTo(VersionPhase.Validating);
        assertThat(d.status().getValidation().getAttempts()).isEqualTo(1);
    }

    @Test
    void aModelWhoseWarmUpFailsIsReadyWithTheWarning() {
        ModelVersion v = after(Versions.version("div", 1), plan(Versions.version("div", 1),
                ValidationAttempt.absent()));
        String report = Versions.okReport().replace("\"warmupMillis\":3,", "\"warmupError\":\"Integer division "
                + "by zero\",");
        var d = plan(v, new ValidationAttempt(ValidationAttempt.State.SUCCEEDED, null, report,
                "2026-11-22T10:09:00Z"));
        assertThat(d.status().getPhase()).isEqualTo(VersionPhase.Ready);
        assertThat(d.status().getValidation().getWarmupError()).isEqualTo("Integer division by zero");
        assertThat(d.status().getValidation().getWarmupMillis()).isNull();
        assertThat(Conditions.find(d.status().getConditions(), Conditions.READY).getMessage())
                .contains("warm-up inference failed (served anyway").contains("Integer division by zero");
    }

    @Test
    void aGoodArtifactBecomesReadyWithItsSignature() {
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));
        var d = plan(v, new ValidationAttempt(ValidationAttempt.State.SUCCEEDED, null, Versions.okReport(),
                "2026-11-22T10:09:00Z"));
        assertThat(d.startAttempt()).isZero();
        assertThat(d.status().getPhase()).isEqualTo(VersionPhase.Ready);
        assertThat(d.status().getSignature().getInputs().get(0).getShape()).containsExactly(-1L, 4L);
        assertThat(d.status().getSignature().getOutputs().get(0).getName()).isEqualTo("probabilities");
        assertThat(d.status().getValidation().getSha256Verified()).isTrue();
        assertThat(d.status().getValidation().getLoadMillis()).isEqualTo(12L);
        assertThat(d.status().getValidation().getWarmupMillis()).isEqualTo(3L);
        assertThat(Conditions.isTrue(d.status().getConditions(), Conditions.READY)).isTrue();

        // The next pass over the same facts plans exactly the same status: a resync writes nothing.
        ModelVersion ready = after(v, d);
        var again = VersionStatusPlanner.plan(ready, ValidationAttempt.absent(), List.of(), false, SETTINGS,
                NOW.plusSeconds(3600));
        assertThat(again.status()).usingRecursiveComparison().isEqualTo(d.status());
        assertThat(again.startAttempt()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
            "ArtifactNotFound,no such file pvc://models/iris/v1/model.onnx",
            "ChecksumMismatch,expected dddd but the file has eeee",
            "InvalidModel,not an ONNX model: protobuf parsing failed",
            "LoadFailed,ONNX Runtime could not create a session",
            "WarmupFailed,the warm-up inference failed"})
    void permanentFailuresAreFinalWithTheirCause(String reason, String message) {
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));
        var d = plan(v, failed(Versions.failure(reason, message), "2026-11-22T10:09:00Z"));
        assertThat(d.startAttempt()).isZero();
        assertThat(d.requeueAfter()).isNull();
        assertThat(d.status().getPhase()).isEqualTo(VersionPhase.Failed);
        var ready = Conditions.find(d.status().getConditions(), Conditions.READY);
        assertThat(ready.getReason()).isEqualTo(reason);
        assertThat(ready.getMessage()).contains(message).contains("modelops.dev/revalidate");
    }

    @Test
    void unreachableStoreIsRetriedWithBackoffThenGivesUp() {
        String unreachable = Versions.failure("ArtifactUnreachable", "connection refused by minio:9000");
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));

        // Attempt 1 failed 10 s ago: the 30 s backoff is not over.
        var waiting = plan(v, failed(unreachable, "2026-11-22T10:09:50Z"));
        assertThat(waiting.startAttempt()).isZero();
        assertThat(waiting.requeueAfter()).isEqualTo(Duration.ofSeconds(20));
        assertThat(waiting.status().getPhase()).isEqualTo(VersionPhase.Validating);
        assertThat(Conditions.find(waiting.status().getConditions(), Conditions.READY).getMessage())
                .contains("attempt 2 of 3 at 2026-11-22T10:10:20Z");

        // Backoff over: attempt 2 starts.
        var second = plan(after(v, waiting), failed(unreachable, "2026-11-22T10:09:00Z"));
        assertThat(second.startAttempt()).isEqualTo(2);
        v = after(v, second);

        // Attempt 2 failed: the wait doubles to 60 s.
        var waitingAgain = plan(v, failed(unreachable, "2026-11-22T10:09:30Z"));
        assertThat(waitingAgain.requeueAfter()).isEqualTo(Duration.ofSeconds(30));
        v.getStatus().getValidation().setAttempts(3);

        // Attempt 3 of 3 failed: final.
        var gaveUp = plan(v, failed(unreachable, "2026-11-22T10:09:59Z"));
        assertThat(gaveUp.status().getPhase()).isEqualTo(VersionPhase.Failed);
        assertThat(Conditions.find(gaveUp.status().getConditions(), Conditions.READY).getMessage())
                .contains("gave up after 3 attempts");
    }

    @Test
    void aTimedOutValidationFailsTheVersion() {
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));
        var d = plan(v, new ValidationAttempt(ValidationAttempt.State.FAILED, "DeadlineExceeded", null,
                "2026-11-22T10:09:00Z"));
        assertThat(d.status().getPhase()).isEqualTo(VersionPhase.Failed);
        assertThat(Conditions.find(d.status().getConditions(), Conditions.READY).getReason())
                .isEqualTo("ValidationTimedOut");
    }

    @Test
    void aMalformedReportIsNamedAsSuch() {
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));
        var d = plan(v, failed("Exception in thread main java.lang.OutOfMemoryError", "2026-11-22T10:09:00Z"));
        var ready = Conditions.find(d.status().getConditions(), Conditions.READY);
        assertThat(ready.getReason()).isEqualTo("InvalidValidationResult");
        assertThat(ready.getMessage()).contains("OutOfMemoryError");
    }

    @Test
    void theRevalidateAnnotationStartsOverOncePerValue() {
        ModelVersion v = after(Versions.version("iris", 1), plan(Versions.version("iris", 1),
                ValidationAttempt.absent()));
        v = after(v, plan(v, failed(Versions.failure("ArtifactNotFound", "missing"), "2026-11-22T10:09:00Z")));
        assertThat(v.getStatus().getPhase()).isEqualTo(VersionPhase.Failed);

        v.getMetadata().setAnnotations(Map.of(ModelOps.ANNOTATION_REVALIDATE, "fixed-bucket"));
        var retry = plan(v, failed(Versions.failure("ArtifactNotFound", "missing"), "2026-11-22T10:09:00Z"));
        assertThat(retry.startAttempt()).isEqualTo(1);
        assertThat(retry.status().getPhase()).isEqualTo(VersionPhase.Validating);
        assertThat(retry.status().getValidation().getRevalidateToken()).isEqualTo("fixed-bucket");
        v = after(v, retry);

        v = after(v, plan(v, failed(Versions.failure("ArtifactNotFound", "still missing"),
                "2026-11-22T10:09:30Z")));
        assertThat(v.getStatus().getPhase()).isEqualTo(VersionPhase.Failed);
        assertThat(plan(v, ValidationAttempt.absent()).startAttempt()).as("same value, no new attempt").isZero();
    }

    @Test
    void servingDeploymentsAreListedAndHoldDeletion() {
        DeploymentReference ref = new DeploymentReference();
        ref.setName("iris");
        ref.setTrack("stable");
        var d = VersionStatusPlanner.plan(Versions.version("iris", 1), ValidationAttempt.absent(), List.of(ref),
                true, SETTINGS, NOW);
        assertThat(d.startAttempt()).as("no validation of a version being deleted").isZero();
        assertThat(d.status().getDeployments()).extracting(DeploymentReference::getName).containsExactly("iris");
        assertThat(Conditions.find(d.status().getConditions(), VersionStatusPlanner.IN_USE).getMessage())
                .isEqualTo("deletion waits until nothing serves this version; served by ModelDeployment iris (stable)");
    }

    @Test
    void backoffDoublesAndIsCapped() {
        assertThat(VersionStatusPlanner.backoff(1, SETTINGS)).isEqualTo(Duration.ofSeconds(30));
        assertThat(VersionStatusPlanner.backoff(2, SETTINGS)).isEqualTo(Duration.ofSeconds(60));
        assertThat(VersionStatusPlanner.backoff(3, SETTINGS)).isEqualTo(Duration.ofSeconds(120));
        assertThat(VersionStatusPlanner.backoff(10, SETTINGS)).isEqualTo(Duration.ofMinutes(10));
    }
}
