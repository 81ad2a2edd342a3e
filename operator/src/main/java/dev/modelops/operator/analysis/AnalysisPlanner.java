package dev.modelops.operator.analysis;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.modelops.api.common.Measurement;
import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.operator.common.Times;

/**
 * Pure: judges one interval of the canary against its template. Too little canary traffic is Inconclusive, metrics
 * that could not be read are Error, and neither is ever Successful: a measurement succeeds only on numbers.
 */
public final class AnalysisPlanner {

    public static final int DEFAULT_MIN_REQUESTS = 50;

    /** The verdict on one interval, and each metric's part in it. */
    public record Result(MeasurementOutcome outcome, List<Measurement> measurements, String summary) {
    }

    private AnalysisPlanner() {
    }

    public static Result judge(AnalysisTemplate template, Observed observed, Instant now) {
        List<Measurement> measurements = new ArrayList<>();
        int minRequests = template.getMinRequests() == null ? DEFAULT_MIN_REQUESTS : template.getMinRequests();
        List<AnalysisMetric> metrics = template.getMetrics() == null ? List.of() : template.getMetrics();
        for (AnalysisMetric metric : metrics) {
            Measurement m = new Measurement();
            m.setMetric(metric.getName());
            m.setThreshold(threshold(metric));
            m.setTime(Times.format(now));
            if (observed.error() != null) {
                m.setOutcome(MeasurementOutcome.Error);
                m.setMessage(observed.error());
                measurements.add(m);
                continue;
            }
            double value;
            double stable = Double.NaN;
            String missing;
            switch (metric.getType()) {
                case ErrorRate -> {
                    value = observed.canaryErrorRate();
                    stable = observed.stableErrorRate();
                    missing = "no canary requests in the interval";
                }
                case LatencyP99 -> {
                    value = observed.canaryP99();
                    stable = observed.stableP99();
                    missing = "no canary requests in the interval";
                }
                case PredictionDrift -> {
                    if (MetricMath.namedDifferently(observed.canaryClasses(), observed.stableClasses())) {
                        m.setOutcome(MeasurementOutcome.Inconclusive);
                        m.setMessage("canary and stable name their predicted classes differently (canary "
                                + new java.util.TreeSet<>(observed.canaryClasses().keySet()) + ", stable "
                                + new java.util.TreeSet<>(observed.stableClasses().keySet())
                                + "): one version has no spec.classLabels, so the runtime labels its predictions by "
                                + "class index; drift cannot be compared until both versions name their classes");
                        measurements.add(m);
                        continue;
                    }
                    value = MetricMath.jensenShannon(observed.canaryClasses(), observed.stableClasses());
                    missing = observed.canaryClasses().isEmpty()
                            ? "no canary predictions in the interval"
                            : "no stable predictions in the interval to compare with";
                }
                case Prometheus -> {
                    Observed.QueryResult result = observed.queries().get(metric.getName());
                    if (result == null || result.error() != null) {
                        m.setOutcome(MeasurementOutcome.Error);
                        m.setMessage(result == null ? "not queried" : result.error());
                        measurements.add(m);
                        continue;
                    }
                    value = result.value();
                    missing = "the query returned no number";
                }
                default -> throw new IllegalStateException("unknown metric type " + metric.getType());
            }
            if (!Double.isNaN(value)) {
                m.setValue(round(value));
            }
            if (!Double.isNaN(stable)) {
                m.setStableValue(round(stable));
            }
            if (metric.getType() != dev.modelops.api.deployment.AnalysisMetricType.Prometheus
                    && observed.canaryRequests() < minRequests) {
                m.setOutcome(MeasurementOutcome.Inconclusive);
                m.setMessage("only " + (long) observed.canaryRequests() + " canary requests in the interval "
                        + "(minRequests " + minRequests + ")");
            } else if (Double.isNaN(value)) {
                m.setOutcome(MeasurementOutcome.Inconclusive);
                m.setMessage(missing);
            } else {
                boolean pass = (metric.getMax() == null || value <= metric.getMax())
                        && (metric.getMin() == null || value >= metric.getMin());
                m.setOutcome(pass ? MeasurementOutcome.Successful : MeasurementOutcome.Failed);
            }
            measurements.add(m);
        }
        MeasurementOutcome outcome = overall(measurements);
        return new Result(outcome, measurements, summary(outcome, measurements));
    }

    /** Error beats Failed beats Inconclusive beats Successful; a template without metrics is Inconclusive. */
    static MeasurementOutcome overall(List<Measurement> measurements) {
        if (measurements.isEmpty()) {
            return MeasurementOutcome.Inconclusive;
        }
        if (measurements.stream().anyMatch(m -> m.getOutcome() == MeasurementOutcome.Failed)) {
            return MeasurementOutcome.Failed;
        }
        if (measurements.stream().anyMatch(m -> m.getOutcome() == MeasurementOutcome.Error)) {
            return MeasurementOutcome.Error;
        }
        if (measurements.stream().anyMatch(m -> m.getOutcome() == MeasurementOutcome.Inconclusive)) {
            return MeasurementOutcome.Inconclusive;
        }
        return MeasurementOutcome.Successful;
    }

    /** "error-rate 0.2 (max 0.01) Failed; latency-p99 0.004 (max 0.05) Successful". */
    public static String summary(MeasurementOutcome outcome, List<Measurement> measurements) {
        List<String> parts = new ArrayList<>();
        for (Measurement m : measurements) {
            parts.add(m.getMetric() + " " + (m.getValue() == null ? "n/a" : format(m.getValue()))
                    + (m.getStableValue() == null ? "" : " (stable " + format(m.getStableValue()) + ")") + " "
                    + m.getThreshold() + " " + m.getOutcome() + (m.getMessage() == null ? "" : ": " + m.getMessage()));
        }
        return outcome + ": " + String.join("; ", parts);
    }

    static String threshold(AnalysisMetric metric) {
        List<String> bounds = new ArrayList<>();
        if (metric.getMin() != null) {
            bounds.add(">= " + format(metric.getMin()));
        }
        if (metric.getMax() != null) {
            bounds.add("<= " + format(metric.getMax()));
        }
        return bounds.isEmpty() ? "(none)" : String.join(" and ", bounds);
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
    }

    private static double round(double value) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.6g", value));
    }
}
