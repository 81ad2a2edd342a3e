package dev.modelops.runtime.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The inference server's settings; {@link #fromEnvironment} reads the {@code MODELOPS_*} variables (README). */
public record ServerConfig(String modelName, String modelVersion, Path modelPath, String host, int port,
        int intraOpThreads, int interOpThreads, int maxBatchSize, Duration maxBatchDelay, int queueCapacity,
        long maxBodyBytes, String track, String classifierOutput, List<String> classLabels,
        Duration shutdownGrace, int ioThreads) {

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String labels = env.getOrDefault("MODELOPS_CLASS_LABELS", "");
        return new ServerConfig(env.getOrDefault("MODELOPS_MODEL_NAME", "model"),
                env.getOrDefault("MODELOPS_MODEL_VERSION", "1"),
                Path.of(env.getOrDefault("MODELOPS_MODEL_PATH", "/mnt/models/model.onnx")),
                env.getOrDefault("MODELOPS_HOST", "0.0.0.0"), integer(env, "MODELOPS_PORT", 8080),
                integer(env, "MODELOPS_INTRA_OP_THREADS", 0), integer(env, "MODELOPS_INTER_OP_THREADS", 0),
                integer(env, "MODELOPS_MAX_BATCH_SIZE", 32),
                Duration.ofMillis(integer(env, "MODELOPS_MAX_BATCH_DELAY", 0)),
                integer(env, "MODELOPS_QUEUE_CAPACITY", 256),
                Long.parseLong(env.getOrDefault("MODELOPS_MAX_BODY_BYTES", String.valueOf(8 << 20))),
                env.getOrDefault("MODELOPS_TRACK", "stable"), env.getOrDefault("MODELOPS_CLASSIFIER_OUTPUT", "auto"),
                labels.isBlank() ? List.of() : Arrays.stream(labels.split(",")).map(String::trim).toList(),
                Duration.ofSeconds(integer(env, "MODELOPS_SHUTDOWN_GRACE_SECONDS", 20)),
                integer(env, "MODELOPS_IO_THREADS", 1));
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got " + value);
        }
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(modelName, modelVersion, modelPath, host, newPort, intraOpThreads, interOpThreads,
                maxBatchSize, maxBatchDelay, queueCapacity, maxBodyBytes, track, classifierOutput, classLabels,
                shutdownGrace, ioThreads);
    }
}
