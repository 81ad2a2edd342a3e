package dev.modelops.runtime.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import dev.modelops.contract.RuntimeContract;
import dev.modelops.contract.ServeSettings;

/** The inference server's settings; {@link #fromEnvironment} reads the {@code MODELOPS_*} variables (README). */
public record ServerConfig(String modelName, String modelVersion, Path modelPath, String host, int port, int grpcPort,
        int intraOpThreads, int interOpThreads, int maxBatchSize, Duration maxBatchDelay, int queueCapacity,
        long maxBodyBytes, String track, String classifierOutput, List<String> classLabels,
        Duration shutdownGrace, Duration shutdownDelay, int ioThreads, Path warmupInput, Duration inlineBelow) {

    /** Server settings the operator does not set (so not in the contract). */
    public static final String ENV_MAX_BODY_BYTES = "MODELOPS_MAX_BODY_BYTES";
    public static final String ENV_SHUTDOWN_GRACE_SECONDS = "MODELOPS_SHUTDOWN_GRACE_SECONDS";
    /**
     * How long a stopping server goes on answering inference requests while it reports not ready, before it refuses
     * new ones: Services and load balancers take a moment to drop an endpoint, and requests they still send meanwhile
     * should not fail.
     */
    public static final String ENV_SHUTDOWN_DELAY_SECONDS = "MODELOPS_SHUTDOWN_DELAY_SECONDS";
    public static final String ENV_IO_THREADS = "MODELOPS_IO_THREADS";
    /**
     * Models whose warm run takes at most this many microseconds run a request that arrives alone on the thread that
     * read it (see {@link ModelService#runsInlineWhenAlone}); 0 turns that off.
     */
    public static final String ENV_INLINE_BELOW_MICROS = "MODELOPS_INLINE_BELOW_MICROS";
    static final int DEFAULT_INLINE_BELOW_MICROS = 1000;

    public static ServerConfig fromEnvironment(Map<String, String> env) {
        String labels = env.getOrDefault(RuntimeContract.ENV_CLASS_LABELS, "");
        ServeSettings serve = ServeSettings.fromEnvironment(env);
        return new ServerConfig(env.getOrDefault(RuntimeContract.ENV_MODEL_NAME, "model"),
                env.getOrDefault(RuntimeContract.ENV_MODEL_VERSION, "1"),
                Path.of(env.getOrDefault(RuntimeContract.ENV_MODEL_PATH, RuntimeContract.MODEL_PATH)),
                env.getOrDefault(RuntimeContract.ENV_HOST, "0.0.0.0"),
                integer(env, RuntimeContract.ENV_PORT, RuntimeContract.HTTP_PORT),
                integer(env, RuntimeContract.ENV_GRPC_PORT, RuntimeContract.GRPC_PORT), serve.intraOpThreads(),
                serve.interOpThreads(), serve.maxBatchSize(), serve.maxBatchDelay(), serve.queueCapacity(),
                integer(env, ENV_MAX_BODY_BYTES, 8 << 20),
                env.getOrDefault(RuntimeContract.ENV_TRACK, RuntimeContract.DEFAULT_TRACK),
                env.getOrDefault(RuntimeContract.ENV_CLASSIFIER_OUTPUT, "auto"),
                labels.isBlank() ? List.of() : Arrays.stream(labels.split(",")).map(String::trim).toList(),
                Duration.ofSeconds(integer(env, ENV_SHUTDOWN_GRACE_SECONDS, 20)),
                Duration.ofSeconds(integer(env, ENV_SHUTDOWN_DELAY_SECONDS, 3)),
                integer(env, ENV_IO_THREADS, 1), WarmUp.sampleFile(env.get(RuntimeContract.ENV_WARMUP_INPUT),
                        env.get(RuntimeContract.ENV_WARMUP_REQUEST)),
                Duration.ofNanos(1000L * integer(env, ENV_INLINE_BELOW_MICROS, DEFAULT_INLINE_BELOW_MICROS)));
    }

    /** The Vert.x event loops the server runs, at least one ({@code MODELOPS_IO_THREADS}). */
    public int eventLoops() {
        return Math.max(1, ioThreads);
    }

    private static int integer(Map<String, String> env, String name, int defaultValue) {
        return ServeSettings.integer(env, name, defaultValue);
    }
}
