package dev.modelops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** On metric text captured from the real runtime (before and after 30 Iris predictions and two bad requests). */
class MetricMathTest {

    private static Map<String, Double> fixture(String name) throws IOException {
        try (InputStream in = MetricMathTest.class.getResourceAsStream("/analysis/" + name)) {
            return MetricsText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void parsesTheRuntimesExposition() throws IOException {
        Map<String, Double> after = fixture("after.txt");
        assertThat(after).containsEntry("modelops_inference_requests_total|outcome=success", 33.0)
                .containsEntry("modelops_inference_requests_total|outcome=client_error", 3.0)
                .containsEntry("modelops_predictions_total|class=virginica", 21.0)
                .containsEntry("modelops_inference_request_duration_seconds_bucket|le=+Inf", 36.0)
                .containsKey("modelops_inference_request_duration_seconds_bucket|le=5.0E-4");
    }

    @Test
    void windowsAreCounterIncreases() throws IOException {
        Map<String, Double> window = MetricMath.increase(fixture("before.txt"), fixture("after.txt"));
        assertThat(MetricMath.requests(window)).isEqualTo(32.0);
        assertThat(MetricMath.errorRate(window)).isZero();
        assertThat(MetricMath.predictions(window)).containsOnly(Map.entry("setosa", 10.0), Map.entry("versicolor",
                0.0), Map.entry("virginica", 20.0));
        double p99 = MetricMath.quantile(window, 0.99);
        assertThat(p99).isPositive().isLessThan(0.05);
    }

    @Test
    void aRestartedPodCountsItsWholeCounter() {
        Map<String, Double> before = Map.of("modelops_inference_requests_total|outcome=success", 500.0);
        Map<String, Double> after = Map.of("modelops_inference_requests_total|outcome=success", 20.0,
                "modelops_inference_requests_total|outcome=server_error", 5.0);
        Map<String, Double> window = MetricMath.increase(before, after);
        assertThat(MetricMath.requests(window)).isEqualTo(25.0);
        assertThat(MetricMath.errorRate(window)).isEqualTo(0.2);
        assertThat(MetricMath.errorRate(Map.of())).isNaN();
    }

    @ParameterizedTest(name = "q{0} of buckets -> {1}")
    @CsvSource(textBlock = """
            0.5, 0.00625
            0.9, 0.055
            0.99, 0.0955
            """)
    void quantilesInterpolateWithinTheBucket(double q, double expected) {
        String b = "modelops_inference_request_duration_seconds_bucket|le=";
        // 40 requests under 5 ms, 40 more under 10 ms (so the median is in 5..10 ms), 20 between 10 ms and 100 ms.
        Map<String, Double> window = Map.of(b + "0.005", 40.0, b + "0.01", 80.0, b + "0.1", 100.0, b + "+Inf", 100.0);
        assertThat(MetricMath.quantile(window, q)).isCloseTo(expected, within(1e-9));
        assertThat(MetricMath.quantile(Map.of(b + "0.005", 0.0, b + "+Inf", 0.0), q)).isNaN();
        assertThat(MetricMath.quantile(Map.of(b + "0.005", 1.0, b + "+Inf", 10.0), 0.99)).as("beyond the last "
                + "finite bucket: its bound").isEqualTo(0.005);
    }

    @Test
    void classesNamedInDifferentSchemesAreTold() {
        Map<String, Double> names = Map.of("setosa", 3.0, "versicolor", 3.0);
        Map<String, Double> indices = Map.of("0", 3.0, "1", 3.0, "other", 1.0);
        assertThat(MetricMath.namedDifferently(names, indices)).isTrue();
        assertThat(MetricMath.namedDifferently(indices, names)).isTrue();
        assertThat(MetricMath.namedDifferently(names, Map.of("virginica", 9.0)))
                .as("both named, disjoint: real drift").isFalse();
        assertThat(MetricMath.namedDifferently(indices, Map.of("2", 9.0))).as("both by index: real drift").isFalse();
        assertThat(MetricMath.namedDifferently(names, Map.of("0", 1.0, "setosa", 5.0))).as("a common class")
                .isFalse();
        assertThat(MetricMath.namedDifferently(names, Map.of())).isFalse();
    }

    @Test
    void jensenShannonIsBoundedAndSymmetric() {
        Map<String, Double> a = Map.of("setosa", 30.0, "versicolor", 30.0, "virginica", 40.0);
        assertThat(MetricMath.jensenShannon(a, a)).isZero();
        assertThat(MetricMath.jensenShannon(a, Map.of("setosa", 3.0, "versicolor", 3.0, "virginica", 4.0)))
                .isCloseTo(0, within(1e-12));
        assertThat(MetricMath.jensenShannon(Map.of("x", 5.0), Map.of("y", 9.0))).isEqualTo(1.0);
        Map<String, Double> b = Map.of("setosa", 10.0, "versicolor", 10.0, "virginica", 80.0);
        assertThat(MetricMath.jensenShannon(a, b)).isEqualTo(MetricMath.jensenShannon(b, a)).isBetween(0.05, 0.2);
        assertThat(MetricMath.jensenShannon(a, Map.of())).isNaN();
    }
}
