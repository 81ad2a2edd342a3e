package dev.modelops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisMetricType;
import dev.modelops.api.deployment.AnalysisTemplate;

class AnalysisPlannerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static AnalysisMetric metric(String name, AnalysisMetricType type, Double max) {
        AnalysisMetric m = new AnalysisMetric();
        m.setName(name);
        m.setType(type);
        m.setMax(max);
        return m;
    }

    static AnalysisTemplate template() {
        AnalysisTemplate t = new AnalysisTemplate();
        t.setMinRequests(20);
        t.setMetrics(List.of(metric("error-rate", AnalysisMetricType.ErrorRate, 0.01),
                metric("latency-p99", AnalysisMetricType.LatencyP99, 0.05),
                metric("drift", AnalysisMetricType.PredictionDrift, 0.1)));
        return t;
    }

    static Observed observed(double requests, double errorRate, double p99, Map<String, Double> canaryClasses) {
        return new Observed(requests, errorRate, 0.0, p99, 0.004, canaryClasses, Map.of("a", 50.0, "b", 50.0),
                Map.of(), null);
    }

    @Test
    void successfulOnlyWhenEveryMetricPasses() {
        AnalysisPlanner.Result r = AnalysisPlanner.judge(template(), observed(100, 0.0, 0.01, Map.of("a", 48.0, "b",
                52.0)), NOW);
        assertThat(r.outcome()).isEqualTo(MeasurementOutcome.Successful);
        assertThat(r.measurements()).extracting(m -> m.getOutcome()).containsOnly(MeasurementOutcome.Successful);
        assertThat(r.measurements().get(0).getThreshold()).isEqualTo("<= 0.01");
        assertThat(r.measurements().get(0).getTime()).isEqualTo("2026-11-23T10:00:00Z");
        assertThat(r.measurements().get(1).getStableValue()).isEqualTo(0.004);
    }

    @Test
    void anyFailedMetricFailsTheMeasurementWithTheValues() {
        AnalysisPlanner.Result r = AnalysisPlanner.judge(template(), observed(100, 0.3, 0.01, Map.of("a", 50.0, "b",
                50.0)), NOW);
        assertThat(r.outcome()).isEqualTo(MeasurementOutcome.Failed);
        assertThat(r.summary()).contains("error-rate 0.3 (stable 0) <= 0.01 Failed");
        AnalysisPlanner.Result drift = AnalysisPlanner.judge(template(), observed(100, 0.0, 0.01, Map.of("c",
                100.0)), NOW);
        assertThat(drift.outcome()).isEqualTo(MeasurementOutcome.Failed);
        assertThat(drift.measurements().get(2).getValue()).isEqualTo(1.0);
    }

    @Test
    void classesNamedByIndexOnOneSideAndByNameOnTheOtherAreNotComparedAsDrift() {
        // A version without spec.classLabels: the runtime labels its predictions 0, 1, 2. Against names, the
        // distributions share no class, which Jensen-Shannon would call total drift and roll back.
        Observed indexVsNames = new Observed(100, 0, 0, 0.01, 0.004, Map.of("0", 30.0, "1", 30.0, "2", 40.0),
                Map.of("setosa", 30.0, "versicolor", 30.0, "virginica", 40.0), Map.of(), null);
        AnalysisPlanner.Result r = AnalysisPlanner.judge(template(), indexVsNames, NOW);
        assertThat(r.outcome()).isEqualTo(MeasurementOutcome.Inconclusive);
        assertThat(r.measurements().get(2).getOutcome()).isEqualTo(MeasurementOutcome.Inconclusive);
        assertThat(r.measurements().get(2).getMessage()).contains("spec.classLabels").contains("[0, 1, 2]");
        assertThat(r.measurements().get(0).getOutcome()).isEqualTo(MeasurementOutcome.Successful);
    }

    @Test
    void tooLittleTrafficIsInconclusiveNeverSuccessful() {
        AnalysisPlanner.Result r = AnalysisPlanner.judge(template(), observed(5, 0.0, 0.01, Map.of("a", 5.0)), NOW);
        assertThat(r.outcome()).isEqualTo(MeasurementOutcome.Inconclusive);
        assertThat(r.measurements().get(0).getMessage()).isEqualTo("only 5 canary requests in the interval "
                + "(minRequests 20)");
    }

    @Test
    void unreadableMetricsAreErrorNeverSuccessful() {
        AnalysisPlanner.Result r = AnalysisPlanner.judge(template(), Observed.failed("pod x: connection refused"),
                NOW);
        assertThat(r.outcome()).isEqualTo(MeasurementOutcome.Error);
        assertThat(r.measurements()).allSatisfy(m -> {
            assertThat(m.getOutcome()).isEqualTo(MeasurementOutcome.Error);
            assertThat(m.getMessage()).contains("connection refused");
        });
        AnalysisTemplate prom = new AnalysisTemplate();
        AnalysisMetric q = metric("flag-rate", AnalysisMetricType.Prometheus, 0.03);
        q.setQuery("sum(x)");
        prom.setMetrics(List.of(q));
        AnalysisPlanner.Result noAddress = AnalysisPlanner.judge(prom, new Observed(100, 0, 0, 0.01, 0.01, Map.of(),
                Map.of(), Map.of("flag-rate", new Observed.QueryResult(Double.NaN, "needs prometheusAddress")), null),
                NOW);
        assertThat(noAddress.outcome()).isEqualTo(MeasurementOutcome.Error);
        AnalysisPlanner.Result fine = AnalysisPlanner.judge(prom, new Observed(100, 0, 0, 0.01, 0.01, Map.of(),
                Map.of(), Map.of("flag-rate", new Observed.QueryResult(0.02, null)), null), NOW);
        assertThat(fine.outcome()).isEqualTo(MeasurementOutcome.Successful);
        assertThat(AnalysisPlanner.judge(new AnalysisTemplate(), observed(100, 0, 0.01, Map.of()), NOW).outcome())
                .as("no metrics, no verdict").isEqualTo(MeasurementOutcome.Inconclusive);
    }
}
