package dev.modelops.runtime.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

import dev.modelops.contract.RuntimeContract;
import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;

/**
 * The inference server's metrics, exposed with the Prometheus Java client in the text format (version 0.0.4), every
 * series labelled with {@code model}, {@code version} and {@code track}. The names, labels and buckets are a
 * contract: the operator's canary analysis and autoscaling query them (see the module README;
 * {@code InferenceMetricsTest} pins the exposition).
 */
public final class InferenceMetrics {

    /** How an inference request ended. */
    public enum Outcome {
        success, client_error, server_error, rejected
    }

    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    /** Seconds: 0.5 ms to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    /**
     * The first this many distinct {@code class} values of {@code modelops_predictions_total} get their own series;
     * predictions of any further class
     * are counted under {@link #OTHER_CLASS}, so a model cannot flood Prometheus with series.
     */
    public static final int MAX_CLASSES = 100;
    public static final String OTHER_CLASS = RuntimeContract.OTHER_CLASS;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram requestDuration;
    private final Histogram queueDuration;
    private final Histogram batchSize;
    private final Counter predictions;
    private final Set<String> classes = ConcurrentHashMap.newKeySet();
    private final CounterDataPoint[] byOutcome = new CounterDataPoint[Outcome.values().length];
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier inFlight = () -> 0;

    public InferenceMetrics(String model, String version, String track) {
        Labels labels = Labels.of(RuntimeContract.LABEL_MODEL, model, RuntimeContract.LABEL_VERSION, version,
                RuntimeContract.LABEL_TRACK, track);
        // No exemplars: nothing here traces requests, and the client's exemplar sampler costs a scheduled task per
        // observation on the request path.
        requests = Counter.builder().name(RuntimeContract.METRIC_REQUESTS).help("Inference requests by outcome.")
                .withoutExemplars().constLabels(labels).labelNames(RuntimeContract.LABEL_OUTCOME).register(registry);
        for (Outcome outcome : Outcome.values()) {
            byOutcome[outcome.ordinal()] = requests.labelValues(outcome.name());
        }
        requestDuration = histogram(RuntimeContract.METRIC_REQUEST_DURATION,
                "Time from receiving an inference request to its response, in seconds.", labels, LATENCY_BUCKETS);
        queueDuration = histogram(RuntimeContract.METRIC_QUEUE_DURATION,
                "Time an inference request waited for its batch, in seconds.", labels, LATENCY_BUCKETS);
        batchSize = histogram(RuntimeContract.METRIC_BATCH_SIZE, "Rows in each batch run by ONNX Runtime.", labels,
                BATCH_BUCKETS);
        predictions = Counter.builder().name(RuntimeContract.METRIC_PREDICTIONS).withoutExemplars()
                .help("Predicted classes (argmax of the classifier output); classes past the first " + MAX_CLASSES
                        + " are counted as \"" + OTHER_CLASS + "\".")
                .constLabels(labels).labelNames(RuntimeContract.LABEL_CLASS).register(registry);
        GaugeWithCallback.builder().name(RuntimeContract.METRIC_QUEUE_DEPTH)
                .help("Inference requests waiting for a batch.").constLabels(labels)
                .callback(callback -> callback.call(queueDepth.getAsInt())).register(registry);
        GaugeWithCallback.builder().name(RuntimeContract.METRIC_IN_FLIGHT)
                .help("Inference requests received and not yet answered.").constLabels(labels)
                .callback(callback -> callback.call(inFlight.getAsInt())).register(registry);
    }

    private Histogram histogram(String name, String help, Labels labels, double[] buckets) {
        return Histogram.builder().name(name).help(help).withoutExemplars().constLabels(labels).classicOnly()
                .classicUpperBounds(buckets).register(registry);
    }

    public void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    public void inFlight(IntSupplier requestsInFlight) {
        this.inFlight = requestsInFlight;
    }

    public void request(Outcome outcome, long durationNanos) {
        byOutcome[outcome.ordinal()].inc();
        requestDuration.observe(durationNanos / 1e9);
    }

    public void queued(long nanos) {
        queueDuration.observe(nanos / 1e9);
    }

    public void batch(int rows) {
        batchSize.observe(rows);
    }

    /** One predicted class; past {@link #MAX_CLASSES} distinct classes, counted as {@link #OTHER_CLASS}. */
    public void prediction(String label) {
        if (!classes.contains(label)) {
            synchronized (classes) {
                if (!classes.contains(label) && classes.size() >= MAX_CLASSES) {
                    label = OTHER_CLASS;
                }
                classes.add(label);
            }
        }
        predictions.labelValues(label).inc();
    }

    public long requests(Outcome outcome) {
        return byOutcome[outcome.ordinal()].getLongValue();
    }

    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
