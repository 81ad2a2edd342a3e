package dev.modelops.runtime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.modelops.runtime.fetch.ArtifactFetcher;
import dev.modelops.runtime.fetch.FetchException;
import dev.modelops.runtime.server.InferenceServer;
import dev.modelops.runtime.server.ServerConfig;
import dev.modelops.runtime.validate.ModelValidator;

/**
 * The runtime image's entry point:
 * <ul>
 * <li>{@code serve [--model-path P --port N ...]}: the inference server; every {@code --some-flag V} sets
 * {@code MODELOPS_SOME_FLAG}, see {@link ServerConfig};</li>
 * <li>{@code fetch --uri U --output PATH [--sha256 S]}: the inference pod's init container;</li>
 * <li>{@code validate --uri U [--sha256 S] [--termination-log PATH] [--work-dir DIR]}: the validation Job.</li>
 * </ul>
 * Both print one JSON object to stdout and to the termination-log file; failures exit with the reason's code.
 */
public final class RuntimeMain {

    static final int USAGE = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    private RuntimeMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv()));
    }

    static int run(String[] args, Map<String, String> env) {
        if (args.length == 0) {
            return usage("a command is needed");
        }
        Map<String, String> flags = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                return usage("unexpected argument " + args[i]);
            }
            flags.put(args[i].substring(2), args[++i]);
        }
        if (args[0].equals("serve")) {
            return serve(flags, env);
        }
        if (!flags.containsKey("uri")) {
            return usage("--uri is required");
        }
        Path terminationLog = Path.of(flags.getOrDefault("termination-log",
                env.getOrDefault("MODELOPS_TERMINATION_MESSAGE_PATH", "/dev/termination-log")));
        ArtifactFetcher fetcher = new ArtifactFetcher(ArtifactFetcher.Settings.fromEnvironment(env));
        try {
            Map<String, Object> report;
            switch (args[0]) {
                case "fetch" -> {
                    if (!flags.containsKey("output")) {
                        return usage("--output is required");
                    }
                    ArtifactFetcher.Fetched fetched = fetcher.fetch(flags.get("uri"), flags.get("sha256"),
                            Path.of(flags.get("output")));
                    report = new LinkedHashMap<>();
                    report.put("ok", true);
                    report.put("path", fetched.path().toString());
                    report.put("sha256", fetched.sha256());
                    report.put("sha256Verified", fetched.sha256Verified());
                    report.put("sizeBytes", fetched.sizeBytes());
                }
                case "validate" -> {
                    Path workDir = flags.containsKey("work-dir")
                            ? Path.of(flags.get("work-dir"))
                            : Files.createTempDirectory("modelops-validate");
                    report = ModelValidator.validate(fetcher, flags.get("uri"), flags.get("sha256"), workDir);
                }
                default -> {
                    return usage("unknown command " + args[0]);
                }
            }
            emit(report, terminationLog);
            return 0;
        } catch (FetchException e) {
            Map<String, Object> failure = new LinkedHashMap<>();
            failure.put("ok", false);
            failure.put("reason", e.reason().name());
            failure.put("message", e.getMessage());
            emit(failure, terminationLog);
            return e.reason().exitCode();
        } catch (IOException e) {
            System.err.println("cannot create a working directory: " + e.getMessage());
            return 1;
        }
    }

    /** Runs the inference server until the JVM is asked to stop (SIGTERM), then shuts it down gracefully. */
    private static int serve(Map<String, String> flags, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        flags.forEach((flag, value) -> settings.put("MODELOPS_" + flag.toUpperCase().replace('-', '_'), value));
        InferenceServer server;
        try {
            server = InferenceServer.start(ServerConfig.fromEnvironment(settings));
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
            while (json.getBytes(StandardCharsets.UTF_8).length > 4096 && copy.get("message") instanceof String m
                    && m.length() > 16) {
                copy.put("message", m.substring(0, m.length() / 2) + "...");
                json = JSON.writeValueAsString(copy);
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a report of strings and numbers always serialises", e);
        }
    }

    private static int usage(String problem) {
        System.err.println(problem + "\nusage: serve [--model-path PATH] [--port N] [--max-batch-size N] ...\n"
                + "       fetch --uri URI --output PATH [--sha256 HEX]\n"
                + "       validate --uri URI [--sha256 HEX] [--termination-log PATH] [--work-dir DIR]");
        return USAGE;
    }
}
