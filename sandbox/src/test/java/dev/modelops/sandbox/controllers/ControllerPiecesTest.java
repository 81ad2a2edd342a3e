package dev.modelops.sandbox.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.IntOrString;

class ControllerPiecesTest {

    @Test
    void completedIndexesAreWrittenAsRanges() {
        assertThat(JobController.ranges(new TreeSet<>(List.of(0, 1, 2, 5, 7, 8)))).isEqualTo("0-2,5,7-8");
        assertThat(JobController.ranges(new TreeSet<>(List.of(3)))).isEqualTo("3");
        assertThat(JobController.ranges(new TreeSet<>())).isEmpty();
    }

    @Test
    void surgeRoundsUpAndUnavailableRoundsDown() {
        assertThat(DeploymentController.resolve(null, 4, true, "25%")).isEqualTo(1);
        assertThat(DeploymentController.resolve(null, 3, true, "25%")).isEqualTo(1);
        assertThat(DeploymentController.resolve(null, 3, false, "25%")).isEqualTo(0);
        assertThat(DeploymentController.resolve(new IntOrString("50%"), 5, false, "25%")).isEqualTo(2);
        assertThat(DeploymentController.resolve(new IntOrString(2), 5, true, "25%")).isEqualTo(2);
    }
}
