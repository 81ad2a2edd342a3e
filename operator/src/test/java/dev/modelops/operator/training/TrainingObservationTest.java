package dev.modelops.operator.training;

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

/** A complete Job's result is read from its rank-0 pod once the caches show that pod's trainer terminated. */
class TrainingObservationTest {

    private static final Job COMPLETE = new JobBuilder().withNewMetadata().withName("iris").endMetadata()
            .withNewSpec().endSpec().withNewStatus().withSucceeded(1).withCompletionTime("2026-11-22T10:07:00Z")
            .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).endStatus()
            .build();

    private static Pod pod(String phase, boolean terminated) {
        return new PodBuilder().withNewMetadata().withName("iris-0").endMetadata().withNewStatus().withPhase(phase)
                .withContainerStatuses(new ContainerStatusBuilder().withName(TrainingJobPlanner.CONTAINER)
                        .withState(terminated
                                ? new ContainerStateBuilder().withNewTerminated().withExitCode(0).withMessage(
                                        "{\"artifact\":{}}").endTerminated().build()
                                : new ContainerStateBuilder().withNewRunning().endRunning().build())
                        .build())
                .endStatus().build();
    }

    @Test
    void aCompleteJobWhoseRankZeroPodHasNotReportedIsCompleting() {
        TrainingObservation observed = TrainingObservation.of(COMPLETE, List.of(pod("Running", false)));
        assertThat(observed.state()).isEqualTo(TrainingObservation.State.COMPLETING);
        assertThat(observed.resultMessage()).isNull();
    }

    @Test
    void theResultIsReadOnceThePodHasTerminated() {
        TrainingObservation observed = TrainingObservation.of(COMPLETE, List.of(pod("Succeeded", true)));
        assertThat(observed.state()).isEqualTo(TrainingObservation.State.COMPLETE);
        assertThat(observed.resultMessage()).isEqualTo("{\"artifact\":{}}");
    }

    @Test
    void aRetriedRankZeroIsWaitedForNotTheFailedPodBeforeIt() {
        // The first pod failed; its replacement, created in the same second, succeeded but the cache still shows it
        // running. The failed pod's message is not the training's result.
        Pod failed = new PodBuilder(pod("Failed", true)).editMetadata().withName("iris-0-a")
                .withCreationTimestamp("2026-11-22T10:00:00Z").endMetadata().editStatus().editFirstContainerStatus()
                .editState().editTerminated().withExitCode(1).withMessage("out of memory").endTerminated().endState()
                .endContainerStatus().endStatus().build();
        Pod retry = new PodBuilder(pod("Running", false)).editMetadata().withName("iris-0-b")
                .withCreationTimestamp("2026-11-22T10:00:00Z").endMetadata().build();
        TrainingObservation observed = TrainingObservation.of(COMPLETE, List.of(failed, retry));
        assertThat(observed.state()).isEqualTo(TrainingObservation.State.COMPLETING);
        assertThat(TrainingObservation.of(COMPLETE, List.of(failed, pod("Succeeded", true))).resultMessage())
                .isEqualTo("{\"artifact\":{}}");
    }

    @Test
    void aPodThatCannotReportAnyMoreIsNotWaitedFor() {
        // In a final phase without a terminated trainer, being deleted, or gone: the result is missing, not late.
        assertThat(TrainingObservation.of(COMPLETE, List.of(pod("Succeeded", false))).state())
                .isEqualTo(TrainingObservation.State.COMPLETE);
        Pod deleting = new PodBuilder(pod("Running", false)).editMetadata()
                .withDeletionTimestamp("2026-11-22T10:07:01Z").endMetadata().build();
        assertThat(TrainingObservation.of(COMPLETE, List.of(deleting)).state())
                .isEqualTo(TrainingObservation.State.COMPLETE);
        assertThat(TrainingObservation.of(COMPLETE, List.of()).state()).isEqualTo(TrainingObservation.State.COMPLETE);
    }
}
