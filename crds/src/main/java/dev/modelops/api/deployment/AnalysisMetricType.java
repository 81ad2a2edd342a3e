package dev.modelops.api.deployment;

/** What an analysis metric measures. */
public enum AnalysisMetricType {
    /** Fraction of canary requests that ended in a server error, 0..1. */
    ErrorRate,
    /** 99th percentile of the canary's request latency, in seconds. */
    LatencyP99,
    /** Total variation distance between the canary's and stable's predicted-class distributions, 0..1. */
    PredictionDrift,
    /** The value of a PromQL query. */
    Prometheus
}
