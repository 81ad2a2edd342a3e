package dev.modelops.operator.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.Condition;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final Instant T1 = Instant.parse("2026-11-22T10:05:00Z");

    @Test
    void transitionTimeMovesOnlyWhenStatusChanges() {
        List<Condition> first = new Conditions().set("Ready", false, "Running", "2 of 4").merge(null, 1, T0);
        assertThat(first.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(first.get(0).getObservedGeneration()).isEqualTo(1L);

        List<Condition> sameStatus = new Conditions().set("Ready", false, "Running", "4 of 4").merge(first, 2, T1);
        assertThat(sameStatus.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(sameStatus.get(0).getMessage()).isEqualTo("4 of 4");
        assertThat(sameStatus.get(0).getObservedGeneration()).isEqualTo(2L);

        List<Condition> flipped = new Conditions().set("Ready", true, "Succeeded", "done").merge(sameStatus, 2, T1);
        assertThat(flipped.get(0).getLastTransitionTime()).isEqualTo("2026-11-22T10:05:00Z");
    }

    @Test
    void identicalPlanMergesToIdenticalConditions() {
        List<Condition> stored = new Conditions().set("Ready", true, "Ok", "fine").set("Failed", false, "Ok", "fine")
                .merge(null, 3, T0);
        List<Condition> again = new Conditions().set("Ready", true, "Ok", "fine").set("Failed", false, "Ok", "fine")
                .merge(stored, 3, T1);
        assertThat(again).isEqualTo(stored);
    }
}
