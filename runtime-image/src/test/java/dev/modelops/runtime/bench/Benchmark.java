package dev.modelops.runtime.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;

import dev.modelops.runtime.Models;
import dev.modelops.runtime.grpc.v2.GRPCInferenceServiceGrpc;
import dev.modelops.runtime.grpc.v2.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import dev.modelops.onnx.ElementType;
import dev.modelops.onnx.OnnxModelBuilder;
import dev.modelops.onnx.OnnxModelBuilder.Attribute;
import dev.modelops.onnx.OnnxModelBuilder.Dim;

/**
 * Measures, in one run, raw in-process ONNX Runtime at batch 1, 8 and 32 with one intra-op thread and with ONNX
 * Runtime's own defaults (one spinning thread per core), and the inference server in its own JVM with its DEFAULT
 * settings, driven over loopback at concurrency 1, 8 and 32 with JSON and binary tensors (wrk) and gRPC (a Java
 * client in this JVM, raw_input_contents), on a small
 * (4-16-3) and a compute-heavy (256-1024-1024-10) MLP. Each server row is compared with the better raw thread
 * setting at the batch the server can reach. Run by {@code runtime-image/bench.sh}; not a unit test.
 *
 * <p>
 * Settings (environment): {@code BENCH_SECONDS} per measurement (default 5), {@code BENCH_WARMUP_SECONDS} of load
 * per protocol at c=32 and again at c=1 on each server before measuring (default 8), {@code BENCH_SETTLE_SECONDS} of load at the measured
 * concurrency right before each measurement (default 5), {@code BENCH_SERVER_ENV} extra server settings to compare with the
 * defaults ({@code MODELOPS_INTRA_OP_THREADS=1,...}), {@code BENCH_PROTOCOLS} (default {@code json,binary,grpc}),
 * {@code BENCH_JAR} the runtime jar.
 */
public final class Benchmark {

    private static final int SECONDS = Integer.parseInt(System.getenv().getOrDefault("BENCH_SECONDS", "5"));
    private static final int WARMUP_SECONDS = Integer
            .parseInt(System.getenv().getOrDefault("BENCH_WARMUP_SECONDS", "8"));
    /**
     * Load at the measured concurrency just before each measurement: going from 32 clients to 1 moves a request from
     * the batcher to the event loop (a lone request runs inline), and the JIT compiles that path anew; measured
     * here, C2 compiling during a c=1 measurement took its p99 from about 1 ms to 3-4 ms.
     */
    private static final int SETTLE_SECONDS = Integer
            .parseInt(System.getenv().getOrDefault("BENCH_SETTLE_SECONDS", "5"));
    private static final String SERVER_ENV = System.getenv().getOrDefault("BENCH_SERVER_ENV", "");
    private static final List<String> PROTOCOLS = List.of(System.getenv().getOrDefault("BENCH_PROTOCOLS",
            "json,binary,grpc").split(","));
    private static final int[] CONCURRENCY = {1, 8, 32};
    private static final int[] RAW_BATCHES = {1, 8, 32};
    /** Raw ONNX Runtime thread settings: 1 intra-op thread, and 0 = ONNX Runtime's default (a spinning pool). */
    private static final int[] RAW_THREADS = {1, 0};

    private static final List<Model> MODELS = List.of(new Model("small 4-16-3", new int[]{4, 16, 3}), new Model(
            "heavy 256-1024-1024-10", new int[]{256, 1024, 1024, 10}));

    /** wrk's summary in one line: requests, duration (µs), errors, p50 and p99 latency (µs). */
    private static final String WRK_SUMMARY = "done = function(summary, latency, requests)\n"
            + "  local errors = summary.errors.connect + summary.errors.read + summary.errors.write"
            + " + summary.errors.status + summary.errors.timeout\n"
            + "  io.write(string.format(\"BENCH %d %d %d %f %f\\n\", summary.requests, summary.duration, errors,"
            + " latency:percentile(50), latency:percentile(99)))\nend\n";

    record Result(double throughput, double p50Millis, double p99Millis, long errors) {
    }

    record Model(String name, int[] layers) {
        int inputs() {
            return layers[0];
        }
    }

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(System.getenv().getOrDefault("BENCH_JAR", "target/modelops-runtime-0.1.0-SNAPSHOT.jar"))
                .toAbsolutePath();
        Path work = Files.createTempDirectory("modelops-bench");
        List<String> table = new ArrayList<>();
        table.add("| model | setup | load | throughput (inferences/s) | p50 (ms) | p99 (ms) | "
                + "throughput / best raw at same batch | p50 - best raw p50 at batch 1 (ms) |");
        table.add("|---|---|---|---|---|---|---|---|");
        for (Model model : MODELS) {
            Path file = Files.write(work.resolve(model.layers.length + "-" + model.inputs() + ".onnx"), mlp(
                    model.layers));
            Result[] best = new Result[RAW_BATCHES.length];
            for (int i = 0; i < RAW_BATCHES.length; i++) {
                for (int threads : RAW_THREADS) {
                    Result raw = raw(file, model.inputs(), RAW_BATCHES[i], threads);
                    table.add(row(model.name, "raw ONNX Runtime, " + (threads == 0
                            ? "ORT default threads (" + Runtime.getRuntime().availableProcessors() + ", spinning)"
                            : threads + " intra-op thread"), "batch " + RAW_BATCHES[i], raw, null, null));
                    System.err.println(table.get(table.size() - 1));
                    if (best[i] == null || raw.throughput > best[i].throughput) {
                        best[i] = raw;
                    }
                }
            }
            Process server = startServer(jar, file);
            try {
                int port = awaitReady(server);
                String setup = "server, " + (SERVER_ENV.isBlank() ? "default settings" : SERVER_ENV);
                // Until the JIT has compiled every path measured, the server's and (for gRPC) the client's: batched (32
                // clients) and inline (one), for every protocol, before the first measurement. Measured at c=1: C2 went
                // on compiling for about 25 s, and a run while it did had a p99 of 1.4-5 ms against 0.3 ms once it
                // had stopped; a protocol measured later also deoptimises call sites the earlier ones made
                // monomorphic.
                int grpcPort = grpcPortOf.get(server.pid());
                for (int c : new int[]{32, 1}) {
                    for (String protocol : PROTOCOLS) {
                        load(port, grpcPort, work, model.inputs(), protocol, c, WARMUP_SECONDS);
                    }
                }
                for (String protocol : PROTOCOLS) {
                    for (int c : CONCURRENCY) {
                        if (SETTLE_SECONDS > 0) {
                            load(port, grpcPort, work, model.inputs(), protocol, c, SETTLE_SECONDS);
                        }
                        Result result = load(port, grpcPort, work, model.inputs(), protocol, c, SECONDS);
                        table.add(row(model.name, setup + ", " + protocol, "c=" + c, result, best[indexOf(
                                RAW_BATCHES, c)], best[0]));
                        System.err.println(table.get(table.size() - 1));
                    }
                }
                if (model == MODELS.get(0)) {
                    // What any HTTP request costs here, on the same server, load generator and cores.
                    Path get = Files.writeString(work.resolve("floor.lua"), WRK_SUMMARY);
                    for (int c : new int[]{1, 32}) {
                        if (SETTLE_SECONDS > 0) {
                            wrk(port, get, c, SETTLE_SECONDS, "/v2/health/live");
                        }
                        table.add(row("(HTTP floor)", "server, GET /v2/health/live: no model, no batcher", "c=" + c,
                                wrk(port, get, c, SECONDS, "/v2/health/live"), null, null));
                        System.err.println(table.get(table.size() - 1));
                    }
                }
            } finally {
                stop(server);
            }
        }
        System.out.println();
        System.out.printf("Measured %s on %d CPUs (%s), %d s per measurement, one-row requests to the server%n",
                LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), SECONDS);
        table.forEach(System.out::println);
    }

    private static Result load(int port, int grpcPort, Path work, int inputs, String protocol, int connections,
            int seconds) throws Exception {
        return protocol.equals("grpc")
                ? grpc(grpcPort, inputs, connections, seconds)
                : wrk(port, wrkScript(work, inputs, protocol), connections, seconds, "/v2/models/bench/infer");
    }

    /**
     * A closed-loop gRPC load: {@code concurrency} requests outstanding on one channel (HTTP/2 streams), each
     * answered request followed at once by the next; one row, raw_input_contents.
     */
    private static Result grpc(int port, int inputs, int concurrency, int seconds) throws Exception {
        ByteBuffer raw = ByteBuffer.allocate(inputs * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(Models.gaussian(new Random(5), inputs, 1));
        ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("bench").addInputs(
                ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32").addShape(1)
                        .addShape(inputs))
                .addRawInputContents(ByteString.copyFrom(raw.array())).build();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor()
                .build();
        try {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub stub = GRPCInferenceServiceGrpc.newFutureStub(
                    channel);
            long[] latencies = new long[1 << 22];
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            java.util.concurrent.atomic.AtomicLong errors = new java.util.concurrent.atomic.AtomicLong();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                new Object() {
                    void next() {
                        long sent = System.nanoTime();
                        if (sent >= end) {
                            done.countDown();
                            return;
                        }
                        com.google.common.util.concurrent.ListenableFuture<?> reply = stub.modelInfer(request);
                        reply.addListener(() -> {
                            try {
                                reply.get();
                                int n = count.getAndIncrement();
                                if (n < latencies.length) {
                                    latencies[n] = System.nanoTime() - sent;
                                }
                            } catch (Exception e) {
                                errors.incrementAndGet();
                            }
                            next();
                        }, Runnable::run);
                    }
                }.next();
            }
            done.await(seconds + 30L, TimeUnit.SECONDS);
            double elapsed = (System.nanoTime() - start) / 1e9;
            int n = Math.min(count.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return new Result(n / elapsed, n == 0 ? 0 : sorted[n / 2] / 1e6, n == 0
                    ? 0
                    : sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6, errors.get());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    private static String row(String model, String setup, String load, Result r, Result sameBatch, Result rawOne) {
        String ratio = sameBatch == null
                ? ""
                : String.format(Locale.ROOT, "%.0f%%", 100 * r.throughput
                        / sameBatch.throughput);
        String delta = rawOne == null ? "" : String.format(Locale.ROOT, "%+.3f", r.p50Millis - rawOne.p50Millis);
        String errors = r.errors > 0 ? " (" + r.errors + " errors)" : "";
        return String.format(Locale.ROOT, "| %s | %s | %s | %.0f%s | %.3f | %.3f | %s | %s |", model, setup, load,
                r.throughput, errors, r.p50Millis, r.p99Millis, ratio, delta);
    }

    /** A Gemm/Relu MLP with a softmax head over a dynamic batch, random weights. */
    public static byte[] mlp(int[] layers) {
        Random random = new Random(17);
        Dim batch = Dim.named("batch");
        OnnxModelBuilder model = OnnxModelBuilder.graph("bench").input("input", ElementType.FLOAT, batch, Dim.of(
                layers[0]));
        String previous = "input";
        for (int l = 0; l + 1 < layers.length; l++) {
            model.initializer("W" + l, Models.gaussian(random, layers[l] * layers[l + 1], 1 / Math.sqrt(layers[l])),
                    layers[l], layers[l + 1]);
            model.initializer("B" + l, Models.gaussian(random, layers[l + 1], 0.1), layers[l + 1]);
            model.node("Gemm", List.of(previous, "W" + l, "B" + l), List.of("g" + l));
            previous = "g" + l;
            if (l + 2 < layers.length) {
                model.node("Relu", List.of(previous), List.of("r" + l));
                previous = "r" + l;
            }
        }
        model.node("Softmax", List.of(previous), List.of("probabilities"), Attribute.of("axis", 1));
        return model.output("probabilities", ElementType.FLOAT, batch, Dim.of(layers[layers.length - 1])).build();
    }

    /** Raw ONNX Runtime, one thread calling: tensor from a float[], run, result read back, per call. */
    private static Result raw(Path model, int inputs, int batch, int threads) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            if (threads > 0) {
                options.setIntraOpNumThreads(threads);
                options.setInterOpNumThreads(1);
            }
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try (OrtSession session = env.createSession(model.toString(), options)) {
                float[] data = Models.gaussian(new Random(batch), batch * inputs, 1);
                long[] shape = {batch, inputs};
                long warmUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (System.nanoTime() < warmUntil) {
                    once(env, session, data, shape);
                }
                long[] latencies = new long[1 << 20];
                int n = 0;
                long start = System.nanoTime();
                long end = start + TimeUnit.SECONDS.toNanos(SECONDS);
                long now = start;
                while (now < end && n < latencies.length) {
                    once(env, session, data, shape);
                    long after = System.nanoTime();
                    latencies[n++] = after - now;
                    now = after;
                }
                long[] sorted = Arrays.copyOf(latencies, n);
                Arrays.sort(sorted);
                return new Result(batch * n / ((now - start) / 1e9), sorted[n / 2] / 1e6,
                        sorted[(int) Math.min(n - 1, Math.ceil(n * 0.99) - 1)] / 1e6, 0);
            }
        }
    }

    private static float once(OrtEnvironment env, OrtSession session, float[] data, long[] shape) throws Exception {
        try (OnnxTensor input = OnnxTensor.createTensor(env, FloatBuffer.wrap(data), shape);
                OrtSession.Result result = session.run(Map.of("input", input))) {
            float[] out = ((OnnxTensor) result.get(0)).getFloatBuffer().array();
            return out[0];
        }
    }

    private static Process startServer(Path jar, Path model) throws IOException {
        int port;
        int grpcPort;
        try (ServerSocket socket = new ServerSocket(0); ServerSocket grpcSocket = new ServerSocket(0)) {
            port = socket.getLocalPort();
            grpcPort = grpcSocket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", jar.toString(), "serve");
        builder.environment().putAll(Map.of("MODELOPS_MODEL_PATH", model.toString(), "MODELOPS_MODEL_NAME", "bench",
                "MODELOPS_HOST", "127.0.0.1", "MODELOPS_PORT", Integer.toString(port), "MODELOPS_GRPC_PORT",
                Integer.toString(grpcPort),
                "MODELOPS_TRACK", "bench"));
        for (String setting : SERVER_ENV.split(",")) {
            if (setting.contains("=")) {
                builder.environment().put(setting.substring(0, setting.indexOf('=')).trim(), setting.substring(
                        setting.indexOf('=') + 1).trim());
            }
        }
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        process.info();
        portOf.put(process.pid(), port);
        grpcPortOf.put(process.pid(), grpcPort);
        return process;
    }

    private static final Map<Long, Integer> portOf = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Map<Long, Integer> grpcPortOf = new java.util.concurrent.ConcurrentHashMap<>();

    private static int awaitReady(Process server) throws Exception {
        int port = portOf.get(server.pid());
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the server exited with " + server.exitValue());
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/v2/health/ready")).timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers
                                .discarding());
                if (ready.statusCode() == 200) {
                    return port;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the server did not become ready in 60 s");
    }

    private static void stop(Process server) throws InterruptedException {
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** A wrk script that posts one row as JSON or as a binary tensor (Inference-Header-Content-Length). */
    private static Path wrkScript(Path work, int inputs, String protocol) throws IOException {
        float[] data = Models.gaussian(new Random(5), inputs, 1);
        String headers;
        String body;
        if (protocol.equals("binary")) {
            String json = "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1," + inputs
                    + "],\"parameters\":{\"binary_data_size\":" + inputs * 4
                    + "}}],\"parameters\":{\"binary_data_output\":true}}";
            ByteBuffer raw = ByteBuffer.allocate(inputs * 4).order(ByteOrder.LITTLE_ENDIAN);
            raw.asFloatBuffer().put(data);
            StringBuilder lua = new StringBuilder("\"").append(json.replace("\"", "\\\""));
            for (byte b : raw.array()) {
                lua.append('\\').append(b & 0xff);
            }
            body = lua.append('"').toString();
            headers = "wrk.headers[\"Content-Type\"] = \"application/octet-stream\"\n"
                    + "wrk.headers[\"Inference-Header-Content-Length\"] = \"" + json.length() + "\"\n";
        } else if (protocol.equals("json")) {
            StringBuilder json = new StringBuilder(
                    "{\"inputs\":[{\"name\":\"input\",\"datatype\":\"FP32\",\"shape\":[1,").append(inputs)
                    .append("],\"data\":[");
            for (int i = 0; i < data.length; i++) {
                json.append(i == 0 ? "" : ",").append(data[i]);
            }
            body = "[==[" + json.append("]}]}") + "]==]";
            headers = "wrk.headers[\"Content-Type\"] = \"application/json\"\n";
        } else {
            throw new IllegalArgumentException("unknown protocol " + protocol + " (json, binary)");
        }
        String lua = "wrk.method = \"POST\"\n" + headers + "wrk.body = " + body + "\n" + WRK_SUMMARY;
        return Files.writeString(work.resolve(protocol + "-" + inputs + ".lua"), lua);
    }

    private static Result wrk(int port, Path script, int connections, int seconds, String path) throws Exception {
        Process wrk = new ProcessBuilder("wrk", "-t1", "-c" + connections, "-d" + seconds + "s", "--timeout", "10s",
                "-s", script.toString(), "http://127.0.0.1:" + port + path).redirectErrorStream(
                        true)
                .start();
        String out = new String(wrk.getInputStream().readAllBytes());
        if (!wrk.waitFor(seconds + 30L, TimeUnit.SECONDS) || wrk.exitValue() != 0) {
            throw new IllegalStateException("wrk failed: " + out);
        }
        String line = out.lines().filter(l -> l.startsWith("BENCH ")).findFirst().orElseThrow(
                () -> new IllegalStateException("no summary from wrk: " + out));
        String[] f = line.split(" ");
        long requests = Long.parseLong(f[1]);
        double durationSeconds = Long.parseLong(f[2]) / 1e6;
        return new Result(requests / durationSeconds, Double.parseDouble(f[4]) / 1000, Double.parseDouble(f[5])
                / 1000, Long.parseLong(f[3]));
    }

    private static int indexOf(int[] values, int value) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] == value) {
                return i;
            }
        }
        throw new IllegalArgumentException(value + " not measured");
    }
}
