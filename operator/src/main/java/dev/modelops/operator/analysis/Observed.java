package dev.modelops.operator.analysis;

import java.util.Map;

/**
 * What one analysis interval saw on each track, however it was read (scraped from the pods or queried from
 * Prometheus). NaN where there was nothing to compute from. {@code queries}: each Prometheus metric's value by its
 * name; {@code error}: why the metrics could not be read at all (then nothing else counts).
 */
public record Observed(double canaryRequests, double canaryErrorRate, double stableErrorRate, double canaryP99,
        double stableP99, Map<String, Double> canaryClasses, Map<String, Double> stableClasses,
        Map<String, QueryResult> queries, String error) {

    /** A Prometheus query's scalar, or why there is none. */
    public record QueryResult(double value, String error) {
    }

    public static Observed failed(String error) {
        return new Observed(Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(), Map.of(), Map.of(),
                error);
    }

    /** From counter increases over the interval, summed over each track's pods. */
    public static Observed fromWindows(Map<String, Double> canary, Map<String, Double> stable,
            Map<String, QueryResult> queries) {
        return new Observed(MetricMath.requests(canary), MetricMath.errorRate(canary), MetricMath.errorRate(stable),
                MetricMath.quantile(canary, 0.99), MetricMath.quantile(stable, 0.99), MetricMath.predictions(canary),
                MetricMath.predictions(stable), queries, null);
    }
}
