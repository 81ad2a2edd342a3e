package dev.modelops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import dev.modelops.api.deployment.AnalysisStep;
import dev.modelops.api.deployment.CanaryStep;
import dev.modelops.api.deployment.PauseStep;

class CanaryStepsTest {

    static CanaryStep weight(int w) {
        CanaryStep s = new CanaryStep();
        s.setSetWeight(w);
        return s;
    }

    static CanaryStep pause(String duration) {
        CanaryStep s = new CanaryStep();
        PauseStep p = new PauseStep();
        p.setDuration(duration);
        s.setPause(p);
        return s;
    }

    static CanaryStep analysis(int n) {
        CanaryStep s = new CanaryStep();
        AnalysisStep a = new AnalysisStep();
        a.setMeasurements(n);
        s.setAnalysis(a);
        return s;
    }

    static final List<CanaryStep> STEPS = List.of(analysis(1), weight(10), pause("1m"), analysis(3), weight(50),
            pause(null), weight(80));

    @ParameterizedTest(name = "step {0}: weight {1}")
    @CsvSource(textBlock = """
            0, 0
            1, 10
            2, 10
            3, 10
            4, 50
            5, 50
            6, 80
            7, 100
            8, 100
            """)
    void weightAt(int step, int weight) {
        assertThat(CanarySteps.weightAt(STEPS, step)).isEqualTo(weight);
    }

    @Test
    void theHashFollowsTheSteps() {
        assertThat(CanarySteps.hash(STEPS)).hasSize(10).isEqualTo(CanarySteps.hash(List.copyOf(STEPS)));
        assertThat(CanarySteps.hash(STEPS)).isNotEqualTo(CanarySteps.hash(STEPS.subList(0, 6)));
        assertThat(CanarySteps.hash(List.of(weight(10)))).isNotEqualTo(CanarySteps.hash(List.of(weight(20))));
        assertThat(CanarySteps.hash(null)).isEqualTo(CanarySteps.hash(List.of()));
        assertThat(CanarySteps.describe(pause(null))).isEqualTo("pause (until promoted)");
        assertThat(CanarySteps.describe(analysis(3))).isEqualTo("analysis (3 measurements)");
    }
}
