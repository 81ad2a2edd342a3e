package dev.modelops.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.modelops.api.deployment.Gates;
import dev.modelops.api.deployment.RegressionGate;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.operator.version.Versions;

class GateCheckTest {

    private static ModelVersion version(int n, Double accuracy, Double loss) {
        ModelVersion v = Versions.version("m", n);
        Map<String, Double> metrics = new java.util.HashMap<>();
        if (accuracy != null) {
            metrics.put("accuracy", accuracy);
        }
        if (loss != null) {
            metrics.put("loss", loss);
        }
        v.getSpec().setMetrics(metrics);
        return v;
    }

    @ParameterizedTest(name = "accuracy {0} loss {1} vs stable {2}/{3}: {4}")
    @CsvSource(nullValues = "-", delimiter = '|', textBlock = """
            0.95 | 0.10 | 0.94 | 0.10 | -
            0.90 | 0.10 | -    | -    | -
            0.89 | 0.10 | -    | -    | accuracy 0.89 is below the minimum 0.9
            -    | 0.10 | -    | -    | accuracy is not recorded (minimum 0.9)
            0.95 | 0.31 | -    | -    | loss 0.31 is above the maximum 0.3
            0.93 | 0.10 | 0.95 | 0.10 | -
            0.92 | 0.10 | 0.95 | 0.10 | accuracy 0.92 is worse than stable m-v1's 0.95 (tolerance 0.02, higher is better)
            0.95 | 0.16 | 0.95 | 0.10 | loss 0.16 is worse than stable m-v1's 0.1 (tolerance 0.05, lower is better)
            0.95 | 0.15 | 0.95 | 0.10 | -
            0.95 | -    | 0.95 | 0.10 | loss is not recorded (maximum 0.3); loss is not recorded (stable m-v1 has 0.1)
            0.95 | 0.10 | 0.95 | -    | -
            """)
    void gates(Double accuracy, Double loss, Double stableAccuracy, Double stableLoss, String expected) {
        Gates gates = new Gates();
        gates.setMinimums(Map.of("accuracy", 0.9));
        gates.setMaximums(Map.of("loss", 0.3));
        RegressionGate acc = new RegressionGate();
        acc.setMetric("accuracy");
        acc.setTolerance(0.02);
        RegressionGate lossGate = new RegressionGate();
        lossGate.setMetric("loss");
        lossGate.setLowerIsBetter(true);
        lossGate.setTolerance(0.05);
        gates.setNoWorseThanStable(List.of(acc, lossGate));
        ModelVersion stable = stableAccuracy == null && stableLoss == null
                ? null
                : version(1, stableAccuracy, stableLoss);
        GateCheck.Result result = GateCheck.check(gates, version(2, accuracy, loss), stable);
        assertThat(result.passed()).isEqualTo(expected == null);
        if (expected != null) {
            assertThat(result.message()).isEqualTo(expected);
        }
    }
}
