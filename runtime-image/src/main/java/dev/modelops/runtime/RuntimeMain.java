package dev.modelops.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.contract.RuntimeContract;
import dev.modelops.runtime.fetch.ArtifactFetcher;
import dev.modelops.runtime.fetch.FetchException;
import dev.modelops.runtime.server.InferenceServer;
import dev.modelops.runtime.server.ServerConfig;
import dev.modelops.runtime.server.WarmUp;
import dev.modelops.runtime.validate.ModelValidator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The runtime image's entry point, three commands: {@code serve} (the inference server), {@code fetch} (the
 * inference pod's init container) and {@code validate} (the validation Job). fetch and validate print one JSON
 * object to stdout and to the termination-log file; failures exit with the reason's code, usage errors with 2.
 */
@Command(name = "modelops-runtime", mixinStandardHelpOptions = true, subcommands = {RuntimeMain.Serve.class,
        RuntimeMain.Fetch.class, RuntimeMain.Validate.class}, description = "The ModelOps runtime image.")
public final class RuntimeMain implements Callable<Integer> {

    static final int USAGE = CommandLine.ExitCode.USAGE;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TERMINATION_LOG_ENV = "MODELOPS_TERMINATION_MESSAGE_PATH";

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        return new CommandLine(new RuntimeMain(), new Factory(env)).execute(args);
    }

    @Override
    public Integer call() {
        System.err.println("a command is needed: " + RuntimeContract.COMMAND_SERVE + ", "
                + RuntimeContract.COMMAND_FETCH + " or " + RuntimeContract.COMMAND_VALIDATE);
        return USAGE;
    }

    /** Gives every command the environment it falls back on (a test passes its own). */
    private record Factory(Map<String, String> env) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> type) throws Exception {
            K created = CommandLine.defaultFactory().create(type);
            if (created instanceof WithEnvironment command) {
                command.environment(env);
            }
            return created;
        }
    }

    private interface WithEnvironment {
        void environment(Map<String, String> env);
    }

    /**
     * The inference server. Every flag overrides the environment variable of the same name
     * ({@code --max-batch-size} is {@code MODELOPS_MAX_BATCH_SIZE}); see {@link ServerConfig} for the defaults.
     */
    @Command(name = RuntimeContract.COMMAND_SERVE, description = "Serve the model over the Open Inference Protocol.")
    static final class Serve implements Callable<Integer>, WithEnvironment {
        private Map<String, String> env = Map.of();

        @Option(names = "--model-name", description = "env " + RuntimeContract.ENV_MODEL_NAME)
        String modelName;
        @Option(names = "--model-version", description = "env " + RuntimeContract.ENV_MODEL_VERSION)
        String modelVersion;
        @Option(names = "--model-path", description = "env " + RuntimeContract.ENV_MODEL_PATH)
        String modelPath;
        @Option(names = "--host", description = "env " + RuntimeContract.ENV_HOST)
        String host;
        @Option(names = "--port", description = "env " + RuntimeContract.ENV_PORT)
        String port;
        @Option(names = "--grpc-port", description = "env " + RuntimeContract.ENV_GRPC_PORT)
        String grpcPort;
        @Option(names = "--track", description = "env " + RuntimeContract.ENV_TRACK)
        String track;
        @Option(names = "--intra-op-threads", description = "env " + RuntimeContract.ENV_INTRA_OP_THREADS)
        String intraOpThreads;
        @Option(names = "--inter-op-threads", description = "env " + RuntimeContract.ENV_INTER_OP_THREADS)
        String interOpThreads;
        @Option(names = "--max-batch-size", description = "env " + RuntimeContract.ENV_MAX_BATCH_SIZE)
        String maxBatchSize;
        @Option(names = "--max-batch-delay", description = "env " + RuntimeContract.ENV_MAX_BATCH_DELAY)
        String maxBatchDelay;
        @Option(names = "--queue-capacity", description = "env " + RuntimeContract.ENV_QUEUE_CAPACITY)
        String queueCapacity;
        @Option(names = "--class-labels", description = "env " + RuntimeContract.ENV_CLASS_LABELS)
        String classLabels;
        @Option(names = "--classifier-output", description = "env " + RuntimeContract.ENV_CLASSIFIER_OUTPUT)
        String classifierOutput;
        @Option(names = RuntimeContract.FLAG_WARMUP_INPUT, description = "env " + RuntimeContract.ENV_WARMUP_INPUT)
        String warmupInput;
        @Option(names = "--max-body-bytes", description = "env " + ServerConfig.ENV_MAX_BODY_BYTES)
        String maxBodyBytes;
        @Option(names = "--shutdown-grace-seconds", description = "env " + ServerConfig.ENV_SHUTDOWN_GRACE_SECONDS)
        String shutdownGraceSeconds;
        @Option(names = "--io-threads", description = "env " + ServerConfig.ENV_IO_THREADS)
        String ioThreads;

        @Override
        public void environment(Map<String, String> env) {
            this.env = env;
        }

        /** Runs until the JVM is asked to stop (SIGTERM), then shuts the server down gracefully. */
        @Override
        public Integer call() {
            Map<String, String> settings = new HashMap<>(env);
            override(settings, RuntimeContract.ENV_MODEL_NAME, modelName);
            override(settings, RuntimeContract.ENV_MODEL_VERSION, modelVersion);
            override(settings, RuntimeContract.ENV_MODEL_PATH, modelPath);
            override(settings, RuntimeContract.ENV_HOST, host);
            override(settings, RuntimeContract.ENV_PORT, port);
            override(settings, RuntimeContract.ENV_GRPC_PORT, grpcPort);
            override(settings, RuntimeContract.ENV_TRACK, track);
            override(settings, RuntimeContract.ENV_INTRA_OP_THREADS, intraOpThreads);
            override(settings, RuntimeContract.ENV_INTER_OP_THREADS, interOpThreads);
            override(settings, RuntimeContract.ENV_MAX_BATCH_SIZE, maxBatchSize);
            override(settings, RuntimeContract.ENV_MAX_BATCH_DELAY, maxBatchDelay);
            override(settings, RuntimeContract.ENV_QUEUE_CAPACITY, queueCapacity);
            override(settings, RuntimeContract.ENV_CLASS_LABELS, classLabels);
            override(settings, RuntimeContract.ENV_CLASSIFIER_OUTPUT, classifierOutput);
            override(settings, RuntimeContract.ENV_WARMUP_INPUT, warmupInput);
            override(settings, ServerConfig.ENV_MAX_BODY_BYTES, maxBodyBytes);
            override(settings, ServerConfig.ENV_SHUTDOWN_GRACE_SECONDS, shutdownGraceSeconds);
            override(settings, ServerConfig.ENV_IO_THREADS, ioThreads);
            ServerConfig config;
            try {
                config = ServerConfig.fromEnvironment(settings);
            } catch (IllegalArgumentException e) {
                System.err.println(e.getMessage());
                return USAGE;
            }
            InferenceServer server;
            try {
                server = InferenceServer.start(config);
            } catch (Exception e) {
                System.err.println("the inference server could not start: " + e);
                return 1;
            }
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "graceful-shutdown"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return 0;
        }

        private static void override(Map<String, String> settings, String env, String flag) {
            if (flag != null) {
                settings.put(env, flag);
            }
        }
    }

    /** What fetch and validate share: where the artifact is and where the report goes. */
    abstract static class ReportingCommand implements Callable<Integer>, WithEnvironment {
        Map<String, String> env = Map.of();

        @Option(names = RuntimeContract.FLAG_URI, required = true, description = "the artifact: a path, file://,"
                + " pvc://claim/path, http(s):// or s3://bucket/key")
        String uri;
        @Option(names = RuntimeContract.FLAG_SHA256, description = "the expected sha256, hex")
        String sha256;
        @Option(names = RuntimeContract.FLAG_TERMINATION_LOG, description = "where the report is written (env "
                + TERMINATION_LOG_ENV + ", default " + RuntimeContract.TERMINATION_LOG + ")")
        String terminationLog;

        @Override
        public void environment(Map<String, String> env) {
            this.env = env;
        }

        abstract Map<String, Object> report(ArtifactFetcher fetcher) throws FetchException, IOException;

        @Override
        public Integer call() {
            Path log = Path.of(terminationLog != null
                    ? terminationLog
                    : env.getOrDefault(TERMINATION_LOG_ENV, RuntimeContract.TERMINATION_LOG));
            try {
                emit(report(new ArtifactFetcher(ArtifactFetcher.Settings.fromEnvironment(env))), log);
                return 0;
            } catch (FetchException e) {
                Map<String, Object> failure = new LinkedHashMap<>();
                failure.put(RuntimeContract.REPORT_OK, false);
                failure.put(RuntimeContract.REPORT_REASON, e.reason().name());
                failure.put(RuntimeContract.REPORT_MESSAGE, e.getMessage());
                emit(failure, log);
                return e.reason().exitCode();
            } catch (IOException e) {
                System.err.println("cannot create a working directory: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = RuntimeContract.COMMAND_FETCH, description = "Download the artifact, verify its sha256 and"
            + " write it atomically.")
    static final class Fetch extends ReportingCommand {
        @Option(names = RuntimeContract.FLAG_OUTPUT, required = true, description = "where the model is written")
        String output;

        @Override
        Map<String, Object> report(ArtifactFetcher fetcher) throws FetchException {
            ArtifactFetcher.Fetched fetched = fetcher.fetch(uri, sha256, Path.of(output));
            Map<String, Object> report = new LinkedHashMap<>();
            report.put(RuntimeContract.REPORT_OK, true);
            report.put("path", fetched.path().toString());
            report.put(RuntimeContract.REPORT_SHA256, fetched.sha256());
            report.put(RuntimeContract.REPORT_SHA256_VERIFIED, fetched.sha256Verified());
            report.put(RuntimeContract.REPORT_SIZE_BYTES, fetched.sizeBytes());
            return report;
        }
    }

    @Command(name = RuntimeContract.COMMAND_VALIDATE, description = "Fetch, load and warm up the model; report its"
            + " signature and timings.")
    static final class Validate extends ReportingCommand {
        @Option(names = RuntimeContract.FLAG_WORK_DIR, description = "where the artifact is fetched to")
        String workDir;
        @Option(names = RuntimeContract.FLAG_WARMUP_INPUT, description = "a JSON inference request body to warm up"
                + " with instead of zeros (env " + RuntimeContract.ENV_WARMUP_INPUT + ")")
        String warmupInput;

        @Override
        Map<String, Object> report(ArtifactFetcher fetcher) throws FetchException, IOException {
            Path dir = workDir != null ? Path.of(workDir) : Files.createTempDirectory("modelops-validate");
            return ModelValidator.validate(fetcher, uri, sha256, dir, WarmUp.sampleFile(
                    warmupInput != null ? warmupInput : env.get(RuntimeContract.ENV_WARMUP_INPUT),
                    env.get(RuntimeContract.ENV_WARMUP_REQUEST)));
        }
    }

    private static void emit(Map<String, Object> report, Path terminationLog) {
        String json = fitted(report);
        System.out.println(json);
        try {
            Files.writeString(terminationLog, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("could not write the termination message to " + terminationLog + ": " + e);
        }
    }

    /** Kubernetes keeps at most 4096 bytes of a termination message: shorten the message so the JSON stays whole. */
    static String fitted(Map<String, Object> report) {
        Map<String, Object> copy = new LinkedHashMap<>(report);
        try {
            String json = JSON.writeValueAsString(copy);
            for (String key : new String[]{RuntimeContract.REPORT_MESSAGE, RuntimeContract.REPORT_WARMUP_ERROR}) {
                while (json.getBytes(StandardCharsets.UTF_8).length > 4096 && copy.get(key) instanceof String m
                        && m.length() > 16) {
                    copy.put(key, m.substring(0, m.length() / 2) + "...");
                    json = JSON.writeValueAsString(copy);
                }
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings and numbers always serialises", e);
        }
    }
}
