package dev.modelops.operator.analysis;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisMetricType;
import dev.modelops.api.deployment.AnalysisTemplate;
import dev.modelops.contract.RuntimeContract;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * Reads one analysis interval of both tracks. Scraping the pods, the first call of an analysis step only records a
 * baseline (counters are differenced between scrapes) and returns nothing; each later call returns the increases
 * since the previous one. With a Prometheus address, every call queries increases over the interval. Baselines are
 * kept in memory: after an operator restart the next call takes a new one, so a measurement is delayed by one
 * interval and none that was recorded is lost.
 */
@ApplicationScoped
public class AnalysisRunner {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(AnalysisRunner.class);

    /** Which analysis: the deployment, the canary version and the step. */
    public record Key(String deploymentUid, String canaryVersion, int step) {
    }

    private record Baseline(Instant time, Map<String, Map<String, Double>> canary,
            Map<String, Map<String, Double>> stable) {
    }

    private final PodMetricsClient pods;
    private final PrometheusClient prometheus;
    private final Map<Key, Baseline> baselines = new ConcurrentHashMap<>();

    public AnalysisRunner(PodMetricsClient pods, PrometheusClient prometheus) {
        this.pods = pods;
        this.prometheus = prometheus;
    }

    /** Whether a baseline is held for this analysis (a call now would measure). */
    public boolean hasBaseline(Key key) {
        return baselines.containsKey(key);
    }

    /** Drops the baselines of a deployment, for example when its canary ends. */
    public void forget(String deploymentUid) {
        baselines.keySet().removeIf(k -> k.deploymentUid().equals(deploymentUid));
    }

    /**
     * One interval's observation, or nothing when the interval since the last one (or since the baseline) has not
     * passed yet; the first call of an analysis only starts the interval.
     */
    public Optional<Observed> measure(Key key, AnalysisTemplate template, Duration interval, String model,
            String canaryVersion, String stableVersion, List<Pod> canaryPods, List<Pod> stablePods, Instant now) {
        Baseline last = baselines.get(key);
        if (last != null && now.isBefore(last.time().plus(interval))) {
            LOG.debugf("%s: next measurement at %s", key, last.time().plus(interval));
            return Optional.empty();
        }
        if (template.getPrometheusAddress() != null && !template.getPrometheusAddress().isBlank()) {
            baselines.put(key, new Baseline(now, Map.of(), Map.of()));
            return last == null
                    ? Optional.empty()
                    : Optional.of(fromPrometheus(template, interval, model, canaryVersion, stableVersion));
        }
        Map<String, Observed.QueryResult> queries = new LinkedHashMap<>();
        for (AnalysisMetric metric : metrics(template)) {
            if (metric.getType() == AnalysisMetricType.Prometheus) {
                queries.put(metric.getName(), new Observed.QueryResult(Double.NaN,
                        "a Prometheus metric needs analysis.prometheusAddress"));
            }
        }
        Baseline current;
        try {
            current = new Baseline(now, pods.scrape(canaryPods), pods.scrape(stablePods));
        } catch (IOException e) {
            baselines.remove(key);
            return Optional.of(Observed.failed("scraping metrics failed: " + e.getMessage()));
        }
        baselines.put(key, current);
        if (last == null) {
            LOG.debugf("%s: baseline of %d canary and %d stable pods at %s", key, current.canary().size(),
                    current.stable().size(), now);
            return Optional.empty();
        }
        LOG.debugf("%s: measured %d canary and %d stable pods over %s", key, current.canary().size(), current
                .stable().size(), Duration.between(last.time(), now));
        return Optional.of(Observed.fromWindows(window(last.canary(), current.canary()), window(last.stable(),
                current.stable()), queries));
    }

    private static Map<String, Double> window(Map<String, Map<String, Double>> before,
            Map<String, Map<String, Double>> after) {
        Map<String, Double> total = new HashMap<>();
        after.forEach((pod, series) -> MetricMath.addInto(total, MetricMath.increase(before.get(pod), series)));
        return total;
    }

    private Observed fromPrometheus(AnalysisTemplate template, Duration interval, String model, String canary,
            String stable) {
        String window = "[" + Math.max(1, interval.toSeconds()) + "s]";
        String c = selector(model, canary, "canary");
        String s = selector(model, stable, "stable");
        String requests = RuntimeContract.METRIC_REQUESTS;
        String bucket = RuntimeContract.METRIC_REQUEST_DURATION + "_bucket";
        String predictions = RuntimeContract.METRIC_PREDICTIONS;
        String address = template.getPrometheusAddress();
        Map<String, Observed.QueryResult> queries = new LinkedHashMap<>();
        for (AnalysisMetric metric : metrics(template)) {
            if (metric.getType() == AnalysisMetricType.Prometheus) {
                String promql = metric.getQuery().replace("{{canary}}", c).replace("{{stable}}", s);
                try {
                    Map<String, Double> result = prometheus.query(address, promql, null);
                    queries.put(metric.getName(), result.isEmpty()
                            ? new Observed.QueryResult(Double.NaN, "the query returned no sample: " + promql)
                            : new Observed.QueryResult(result.values().iterator().next(), null));
                } catch (IOException e) {
                    queries.put(metric.getName(), new Observed.QueryResult(Double.NaN, e.getMessage()));
                }
            }
        }
        try {
            double canaryRequests = scalar(address, "sum(increase(" + requests + "{" + c + "}" + window + "))");
            return new Observed(canaryRequests,
                    ratio(address, "sum(increase(" + requests + "{" + c + ",outcome=\"server_error\"}" + window
                            + "))", canaryRequests),
                    ratio(address, "sum(increase(" + requests + "{" + s + ",outcome=\"server_error\"}" + window
                            + "))", scalar(address, "sum(increase(" + requests + "{" + s + "}" + window + "))")),
                    scalar(address, "histogram_quantile(0.99, sum by (le) (increase(" + bucket + "{" + c + "}"
                            + window + ")))"),
                    scalar(address, "histogram_quantile(0.99, sum by (le) (increase(" + bucket + "{" + s + "}"
                            + window + ")))"),
                    prometheus.query(address, "sum by (class) (increase(" + predictions + "{" + c + "}" + window
                            + "))", "class"),
                    prometheus.query(address, "sum by (class) (increase(" + predictions + "{" + s + "}" + window
                            + "))", "class"),
                    queries, null);
        } catch (IOException e) {
            return Observed.failed("querying Prometheus failed: " + e.getMessage());
        }
    }

    private double ratio(String address, String numerator, double denominator) throws IOException {
        return denominator == 0 || Double.isNaN(denominator) ? Double.NaN : scalar(address, numerator) / denominator;
    }

    private double scalar(String address, String promql) throws IOException {
        Map<String, Double> result = prometheus.query(address, promql, null);
        return result.isEmpty() ? Double.NaN : result.values().iterator().next();
    }

    /** The label matchers of one track's pods, as the runtime labels its series. */
    static String selector(String model, String version, String track) {
        return RuntimeContract.LABEL_MODEL + "=\"" + model + "\"," + RuntimeContract.LABEL_VERSION + "=\"" + version
                + "\"," + RuntimeContract.LABEL_TRACK + "=\"" + track + "\"";
    }

    private static List<AnalysisMetric> metrics(AnalysisTemplate template) {
        return template.getMetrics() == null ? List.of() : template.getMetrics();
    }
}
