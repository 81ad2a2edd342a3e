package dev.modelops.operator.version;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;

/** What one validation Job and its pods, as the caches show them, say about the attempt. */
class ValidationAttemptTest {

    private static Job job(String condition) {
        return new JobBuilder().withNewMetadata().withName("iris-v1-validate-1").endMetadata().withNewStatus()
                .withCompletionTime("Complete".equals(condition) ? "2026-11-22T10:07:00Z" : null)
                .withConditions(condition == null
                        ? List.of()
                        : List.of(new JobConditionBuilder().withType(condition).withStatus("True")
                                .withReason("Failed".equals(condition) ? "BackoffLimitExceeded" : null).build()))
                .endStatus().build();
    }

    private static Pod running(String name) {
        return new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus().withPhase("Running")
                .withContainerStatuses(new ContainerStatusBuilder().withName(ValidationJobPlanner.CONTAINER)
                        .withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build())
                .endStatus().build();
    }

    private static Pod terminated(String name, String message) {
        return new PodBuilder(running(name)).editStatus().withPhase("Succeeded").withContainerStatuses(
                new ContainerStatusBuilder().withName(ValidationJobPlanner.CONTAINER).withState(
                        new ContainerStateBuilder().withNewTerminated().withExitCode(0).withMessage(message)
                                .endTerminated().build())
                        .build())
                .endStatus().build();
    }

    @Test
    void aFinishedJobWhosePodHasNotReportedYetIsStillRunningAndSaysWhatItWaitsFor() {
        for (String condition : List.of("Complete", "Failed")) {
            ValidationAttempt attempt = ValidationAttempt.of(job(condition), List.of(running("pod-a")));
            assertThat(attempt.state()).as(condition).isEqualTo(ValidationAttempt.State.RUNNING);
            assertThat(attempt.waitingFor()).isEqualTo("pod-a");
            assertThat(attempt.message()).isNull();
        }
    }

    @Test
    void theReportDecidesOnceThePodHasTerminated() {
        ValidationAttempt done = ValidationAttempt.of(job("Complete"), List.of(terminated("pod-a", "{\"ok\":true}")));
        assertThat(done.state()).isEqualTo(ValidationAttempt.State.SUCCEEDED);
        assertThat(done.message()).isEqualTo("{\"ok\":true}");
        assertThat(done.finishedAt()).isEqualTo("2026-11-22T10:07:00Z");
        // Terminated without a message (killed at the deadline, say): nothing more will come, so it is decided.
        assertThat(ValidationAttempt.of(job("Failed"), List.of(terminated("pod-a", null))).state())
                .isEqualTo(ValidationAttempt.State.FAILED);
        // One retried pod reported: the other, still shown running, is not waited for.
        assertThat(ValidationAttempt.of(job("Failed"), List.of(running("pod-b"), terminated("pod-a", "{}")))
                .state()).isEqualTo(ValidationAttempt.State.FAILED);
    }

    @Test
    void podsThatAreGoneOrGoingAreNotWaitedFor() {
        assertThat(ValidationAttempt.of(job("Complete"), List.of()).state())
                .isEqualTo(ValidationAttempt.State.SUCCEEDED);
        Pod deleting = new PodBuilder(running("pod-a")).editMetadata().withDeletionTimestamp("2026-11-22T10:07:01Z")
                .endMetadata().build();
        assertThat(ValidationAttempt.of(job("Failed"), List.of(deleting)).state())
                .isEqualTo(ValidationAttempt.State.FAILED);
        // Refused by its kubelet: a final phase, no container ever ran; nothing more will come from it.
        Pod refused = new PodBuilder(running("pod-a")).editStatus().withPhase("Failed").withReason("OutOfcpu")
                .withContainerStatuses(new ContainerStatusBuilder().withName(ValidationJobPlanner.CONTAINER)
                        .withState(new ContainerStateBuilder().withNewWaiting().endWaiting().build()).build())
                .endStatus().build();
        assertThat(ValidationAttempt.of(job("Failed"), List.of(refused)).state())
                .isEqualTo(ValidationAttempt.State.FAILED);
    }

    @Test
    void aJobWithoutAVerdictIsRunningAndNoJobIsAbsent() {
        assertThat(ValidationAttempt.of(job(null), List.of(running("pod-a"))).state())
                .isEqualTo(ValidationAttempt.State.RUNNING);
        assertThat(ValidationAttempt.of(job(null), List.of(running("pod-a"))).waitingFor()).isNull();
        assertThat(ValidationAttempt.of(null, List.of()).state()).isEqualTo(ValidationAttempt.State.ABSENT);
    }
}
