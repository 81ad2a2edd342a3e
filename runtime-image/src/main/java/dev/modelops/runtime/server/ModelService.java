package dev.modelops.runtime.server;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import ai.onnxruntime.OrtException;
import dev.modelops.runtime.batching.DynamicBatcher;
import dev.modelops.runtime.metrics.InferenceMetrics;
import dev.modelops.onnx.ElementType;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;

/**
 * One served model: its session, the batcher in front of it, and the prediction counter. Requests for a model
 * whose first dimension is not dynamic run one at a time through the same bounded queue.
 */
public final class ModelService implements AutoCloseable {

    private final ServerConfig config;
    private final ModelSession session;
    private final InferenceMetrics metrics;
    private final boolean batchable;
    private final DynamicBatcher<InferenceRequest, Map<String, TensorData>> batcher;
    private final ModelSession.TensorSpec classifier;
    private final boolean inlineWhenAlone;

    /**
     * @param warmRunNanos what one run of the warm-up input costs once warm, -1 when unknown (see
     *                     {@link #runsInlineWhenAlone})
     */
    public ModelService(ServerConfig config, ModelSession session, InferenceMetrics metrics, long warmRunNanos) {
        this.config = config;
        this.session = session;
        this.metrics = metrics;
        this.batchable = session.signature().batchable() && config.maxBatchSize() > 1;
        this.classifier = classifierOutput(config.classifierOutput(), session.signature());
        DynamicBatcher.Settings settings = new DynamicBatcher.Settings(batchable ? config.maxBatchSize() : 1,
                config.maxBatchDelay(), config.queueCapacity());
        this.batcher = new DynamicBatcher<>(config.modelName(), settings,
                request -> batchable ? request.rows() : 1, this::runBatch, new DynamicBatcher.Listener() {
                    @Override
                    public void dequeued(long queuedNanos) {
                        metrics.queued(queuedNanos);
                    }

                    @Override
                    public void batch(int requests, int rows) {
                        metrics.batch(batchable ? rows : requests);
                    }
                });
        metrics.queueDepth(batcher::queued);
        this.inlineWhenAlone = warmRunNanos >= 0 && warmRunNanos <= config.inlineBelow().toNanos()
                && config.maxBatchDelay().isZero();
    }

    /**
     * Whether a request that arrives while no other is in flight runs at once on the thread that read it (an event
     * loop) instead of through the batcher's thread: only for models whose warm run is at most
     * {@link ServerConfig#inlineBelow} (that thread is held that long) and without a batching delay. At concurrency 1
     * this saves two thread hand-offs per request, most of a small model's latency and tail (runtime-image/README.md).
     */
    public boolean runsInlineWhenAlone() {
        return inlineWhenAlone;
    }

    public ModelSession.Signature signature() {
        return session.signature();
    }

    /** The thread settings the model's session runs with, automatic ones resolved. */
    public ModelSession.Threads threads() {
        return session.threads();
    }

    /** Whether concurrent requests are merged (the model's first dimension is dynamic and batching is on). */
    public boolean batching() {
        return batchable;
    }

    public ModelSession.TensorSpec classifier() {
        return classifier;
    }

    /** Parses a request whose JSON is the first {@code jsonLength} bytes of {@code body} (binary tensors after). */
    public InferenceRequest parse(byte[] body, int jsonLength) {
        return InferenceRequest.parse(body, jsonLength, session.signature(), batchable);
    }

    /** Checks a request's inputs one by one (the gRPC API builds its requests with it). */
    InferenceRequest.Checker checker() {
        return new InferenceRequest.Checker(session.signature(), batchable);
    }

    /**
     * Runs a request through the batcher; {@code alone} says that no other inference request is in flight in the
     * server (received and not yet answered), which lets a cheap model run it on the calling thread, the future then
     * being complete on return.
     */
    public CompletableFuture<Map<String, TensorData>> infer(InferenceRequest request, boolean alone) {
        return batcher.submit(request, alone && inlineWhenAlone);
    }

    private List<Map<String, TensorData>> runBatch(List<InferenceRequest> batch) throws OrtException {
        Map<String, TensorData> merged = new LinkedHashMap<>();
        for (ModelSession.TensorSpec input : session.signature().inputs()) {
            List<TensorData> parts = new ArrayList<>(batch.size());
            batch.forEach(request -> parts.add(request.inputs().get(input.name())));
            merged.put(input.name(), TensorData.concat(parts));
        }
        Map<String, TensorData> outputs = session.run(merged);
        if (classifier != null) {
            countPredictions(outputs.get(classifier.name()));
        }
        List<Map<String, TensorData>> results = new ArrayList<>(batch.size());
        long row = 0;
        for (InferenceRequest request : batch) {
            Map<String, TensorData> own = new LinkedHashMap<>();
            for (Map.Entry<String, TensorData> output : outputs.entrySet()) {
                if (request.outputs() == null || request.outputs().contains(output.getKey())) {
                    own.put(output.getKey(), batch.size() == 1
                            ? output.getValue()
                            : output.getValue().rows(row, row + request.rows()));
                }
            }
            row += request.rows();
            results.add(own);
        }
        return results;
    }

    /** Counts the argmax of each row of the classifier output. */
    private void countPredictions(TensorData scores) {
        if (scores == null || scores.shape().length != 2 || scores.shape()[1] < 2) {
            return;
        }
        int rows = (int) scores.shape()[0];
        int classes = (int) scores.shape()[1];
        ByteBuffer buffer = scores.buffer();
        for (int r = 0; r < rows; r++) {
            int best = 0;
            double bestValue = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double value = scores.type() == ElementType.DOUBLE ? buffer.getDouble() : buffer.getFloat();
                if (value > bestValue) {
                    bestValue = value;
                    best = c;
                }
            }
            metrics.prediction(best < config.classLabels().size()
                    ? config.classLabels().get(best)
                    : Integer.toString(best));
        }
    }

    /**
     * The output whose argmax is a predicted class: the one named in configuration, or with "auto" the first FP32
     * or FP64 output of shape [batch, classes] with 2 to 1000 classes; "none" turns the counter off.
     */
    static ModelSession.TensorSpec classifierOutput(String setting, ModelSession.Signature signature) {
        if ("none".equals(setting)) {
            return null;
        }
        for (ModelSession.TensorSpec output : signature.outputs()) {
            boolean scores = (output.type() == ElementType.FLOAT || output.type() == ElementType.DOUBLE)
                    && output.shape().length == 2 && output.shape()[1] >= 2 && output.shape()[1] <= 1000;
            if ("auto".equals(setting) ? scores : output.name().equals(setting)) {
                return scores ? output : null;
            }
        }
        return null;
    }

    /** Runs what is queued (up to {@code grace}), then closes the session. */
    public void close(Duration grace) {
        batcher.close(grace);
        try {
            session.close();
        } catch (OrtException e) {
            System.err.println("closing the ONNX Runtime session failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        close(config.shutdownGrace());
    }
}
