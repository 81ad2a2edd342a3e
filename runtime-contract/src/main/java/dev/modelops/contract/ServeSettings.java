package dev.modelops.contract;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The serve command's batching and thread settings with their defaults. The runtime reads them with
 * {@link #fromEnvironment}; the operator writes them with {@link #environment}, so a value survives the trip from
 * a ModelDeployment's spec to the server unchanged.
 */
public record ServeSettings(int maxBatchSize, Duration maxBatchDelay, int queueCapacity, int intraOpThreads,
        int interOpThreads) {

    public static final ServeSettings DEFAULTS = new ServeSettings(RuntimeContract.DEFAULT_MAX_BATCH_SIZE,
            Durations.parse(RuntimeContract.DEFAULT_MAX_BATCH_DELAY), RuntimeContract.DEFAULT_QUEUE_CAPACITY,
            RuntimeContract.DEFAULT_INTRA_OP_THREADS, RuntimeContract.DEFAULT_INTER_OP_THREADS);

    public ServeSettings {
        if (maxBatchSize < 1) {
            throw new IllegalArgumentException(RuntimeContract.ENV_MAX_BATCH_SIZE + " must be at least 1, got "
                    + maxBatchSize);
        }
        if (maxBatchDelay.isNegative()) {
            throw new IllegalArgumentException(RuntimeContract.ENV_MAX_BATCH_DELAY + " must not be negative");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException(RuntimeContract.ENV_QUEUE_CAPACITY + " must be at least 1, got "
                    + queueCapacity);
        }
        if (intraOpThreads < 0 || interOpThreads < 0) {
            throw new IllegalArgumentException("thread counts must be 0 (automatic) or more");
        }
    }

    /** Reads the settings from the serve command's environment; unset or blank variables take the defaults. */
    public static ServeSettings fromEnvironment(Map<String, String> env) {
        String delay = env.get(RuntimeContract.ENV_MAX_BATCH_DELAY);
        return new ServeSettings(integer(env, RuntimeContract.ENV_MAX_BATCH_SIZE, DEFAULTS.maxBatchSize),
                delay == null || delay.isBlank() ? DEFAULTS.maxBatchDelay : durationOf(delay),
                integer(env, RuntimeContract.ENV_QUEUE_CAPACITY, DEFAULTS.queueCapacity),
                integer(env, RuntimeContract.ENV_INTRA_OP_THREADS, DEFAULTS.intraOpThreads),
                integer(env, RuntimeContract.ENV_INTER_OP_THREADS, DEFAULTS.interOpThreads));
    }

    /** The environment that makes the runtime read exactly these settings; defaults are left out. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        if (maxBatchSize != DEFAULTS.maxBatchSize) {
            env.put(RuntimeContract.ENV_MAX_BATCH_SIZE, Integer.toString(maxBatchSize));
        }
        if (!maxBatchDelay.equals(DEFAULTS.maxBatchDelay)) {
            env.put(RuntimeContract.ENV_MAX_BATCH_DELAY, Durations.format(maxBatchDelay));
        }
        if (queueCapacity != DEFAULTS.queueCapacity) {
            env.put(RuntimeContract.ENV_QUEUE_CAPACITY, Integer.toString(queueCapacity));
        }
        if (intraOpThreads != DEFAULTS.intraOpThreads) {
            env.put(RuntimeContract.ENV_INTRA_OP_THREADS, Integer.toString(intraOpThreads));
        }
        if (interOpThreads != DEFAULTS.interOpThreads) {
            env.put(RuntimeContract.ENV_INTER_OP_THREADS, Integer.toString(interOpThreads));
        }
        return env;
    }

    private static Duration durationOf(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(RuntimeContract.ENV_MAX_BATCH_DELAY + ": " + e.getMessage());
        }
    }

    /** An integer variable of the runtime's environment; unset or blank gives the default, junk names the variable. */
    public static int integer(Map<String, String> env, String name, int defaultValue) {
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
}
