package dev.modelops.runtime.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The inference server's metrics in the Prometheus text format (version 0.0.4), every series labelled with
 * {@code model}, {@code version} and {@code track}. The names and buckets are a contract: the operator's canary
 * analysis queries them (see the module README).
 */
public final class InferenceMetrics {

    /** How an inference request ended. */
    public enum Outcome {
        success, client_error, server_error, rejected
    }

    /** Seconds: 0.5 ms to 10 s. */
    static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10};
    static final double[] BATCH_BUCKETS = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final String labels;
    private final Map<Outcome, LongAdder> requests = new LinkedHashMap<>();
    private final Histogram requestDuration = new Histogram(LATENCY_BUCKETS);
    private final Histogram queueDuration = new Histogram(LATENCY_BUCKETS);
    private final Histogram batchSize = new Histogram(BATCH_BUCKETS);
    private final Map<String, LongAdder> predictions = new ConcurrentHashMap<>();
    private volatile IntSupplier queueDepth = () -> 0;

    public InferenceMetrics(String model, String version, String track) {
        this.labels = "model=\"" + escape(model) + "\",version=\"" + escape(version) + "\",track=\"" + escape(track)
                + "\"";
        for (Outcome outcome : Outcome.values()) {
            requests.put(outcome, new LongAdder());
        }
    }

    public void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    public void request(Outcome outcome, long durationNanos) {
        requests.get(outcome).increment();
        requestDuration.observe(durationNanos / 1e9);
    }

    public void queued(long nanos) {
        queueDuration.observe(nanos / 1e9);
    }

    public void batch(int rows) {
        batchSize.observe(rows);
    }

    /** One predicted class (a bounded set: the classifier's class labels). */
    public void prediction(String label) {
        predictions.computeIfAbsent(label, l -> new LongAdder()).increment();
    }

    public long requests(Outcome outcome) {
        return requests.get(outcome).sum();
    }

    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP modelops_inference_requests_total Inference requests by outcome.\n");
        out.append("# TYPE modelops_inference_requests_total counter\n");
        requests.forEach((outcome, count) -> out.append("modelops_inference_requests_total{").append(labels)
                .append(",outcome=\"").append(outcome).append("\"} ").append(count.sum()).append('\n'));
        histogram(out, "modelops_inference_request_duration_seconds",
                "Time from receiving an inference request to its response, in seconds.", requestDuration);
        histogram(out, "modelops_inference_queue_duration_seconds",
                "Time an inference request waited for its batch, in seconds.", queueDuration);
        histogram(out, "modelops_inference_batch_size", "Rows in each batch run by ONNX Runtime.", batchSize);
        out.append("# HELP modelops_predictions_total Predicted classes (argmax of the classifier output).\n");
        out.append("# TYPE modelops_predictions_total counter\n");
        new java.util.TreeMap<>(predictions).forEach((label, count) -> out.append("modelops_predictions_total{")
                .append(labels).append(",class=\"").append(escape(label)).append("\"} ").append(count.sum())
                .append('\n'));
        out.append("# HELP modelops_inference_queue_depth Inference requests waiting for a batch.\n");
        out.append("# TYPE modelops_inference_queue_depth gauge\n");
        out.append("modelops_inference_queue_depth{").append(labels).append("} ").append(queueDepth.getAsInt())
                .append('\n');
        return out.toString();
    }

    private void histogram(StringBuilder out, String name, String help, Histogram histogram) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" histogram\n");
        histogram.write(out, name, labels);
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
