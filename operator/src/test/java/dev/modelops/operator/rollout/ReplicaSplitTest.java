package dev.modelops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReplicaSplitTest {

    @ParameterizedTest(name = "{0} pods at {1}% -> stable {2}, canary {3}")
    @CsvSource(textBlock = """
            4, 0, 4, 0
            4, 25, 3, 1
            4, 50, 2, 2
            4, 75, 1, 3
            4, 100, 0, 4
            4, 1, 3, 1
            4, 99, 1, 3
            10, 5, 9, 1
            10, 10, 9, 1
            10, 33, 7, 3
            10, 95, 1, 9
            3, 50, 1, 2
            2, 50, 1, 1
            2, 10, 1, 1
            2, 90, 1, 1
            1, 0, 1, 0
            1, 25, 1, 1
            1, 100, 0, 1
            0, 50, 0, 0
            0, 0, 0, 0
            100, 37, 63, 37
            """)
    void byPodRatio(int total, int weight, int stable, int canary) {
        assertThat(ReplicaSplit.byPodRatio(total, weight)).isEqualTo(new ReplicaSplit(stable, canary));
    }

    @Test
    void byPodRatioKeepsItsPromises() {
        for (int total = 0; total <= 40; total++) {
            for (int weight = 0; weight <= 100; weight++) {
                ReplicaSplit split = ReplicaSplit.byPodRatio(total, weight);
                if (weight > 0 && total > 0) {
                    assertThat(split.canary()).as("a weight above 0 gets a canary pod").isPositive();
                }
                if (weight == 0) {
                    assertThat(split.canary()).isZero();
                }
                if (weight == 100) {
                    assertThat(split.stable()).isZero();
                    assertThat(split.canary()).isEqualTo(total);
                } else if (total >= 2) {
                    assertThat(split.stable() + split.canary()).as("total conserved").isEqualTo(total);
                    assertThat(split.stable()).as("stable keeps a pod below 100").isPositive();
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} pods at exact {1}% -> stable {2}, canary {3}")
    @CsvSource(textBlock = """
            2, 0, 2, 0
            2, 5, 2, 1
            2, 50, 2, 1
            4, 50, 4, 2
            10, 25, 10, 3
            10, 100, 0, 10
            """)
    void byExactWeights(int total, int weight, int stable, int canary) {
        assertThat(ReplicaSplit.byExactWeights(total, weight)).isEqualTo(new ReplicaSplit(stable, canary));
    }
}
