package dev.modelops.runtime.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.modelops.runtime.batching.DynamicBatcher;
import dev.modelops.runtime.metrics.InferenceMetrics;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

/**
 * The Open Inference Protocol (KServe v2) over HTTP/1.1 on Vert.x, plus {@code GET /metrics}. Requests are parsed
 * on the event loop, run on the model's batcher thread, and answered on the event loop. Every failure becomes a
 * status code in {@link #fail}.
 */
public final class InferenceServer implements AutoCloseable {

    private static final JsonFactory JSON = new JsonFactory();
    private static final String SERVER_NAME = "modelops-runtime";
    private static final String SERVER_VERSION = InferenceServer.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : InferenceServer.class.getPackage().getImplementationVersion();

    private final ServerConfig config;
    private final InferenceMetrics metrics;
    private final Vertx vertx;
    private final HttpServer http;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile ModelService model;
    private volatile boolean draining;
    private volatile boolean closed;

    private InferenceServer(ServerConfig config) {
        this.config = config;
        this.metrics = new InferenceMetrics(config.modelName(), config.modelVersion(), config.track());
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(Math.max(1, config.ioThreads()))
                .setWorkerPoolSize(1).setInternalBlockingPoolSize(1).setPreferNativeTransport(false));
        this.http = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0));
        http.requestHandler(this::handle);
    }

    /**
     * Listens first (so liveness answers during a long load), then loads the model, warms it up and becomes ready.
     * Returns once ready; a model that does not load closes the server and throws.
     */
    public static InferenceServer start(ServerConfig config) throws Exception {
        InferenceServer server = new InferenceServer(config);
        try {
            server.http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            ModelSession session = ModelSession.load(config.modelPath(), config.intraOpThreads(),
                    config.interOpThreads());
            try {
                long warmup = session.warmUp();
                server.model = new ModelService(config, session, server.metrics);
                System.out.printf("serving %s version %s on port %d (batching %s, warm-up %d ms)%n",
                        config.modelName(), config.modelVersion(), server.port(),
                        server.model.batching() ? "up to " + config.maxBatchSize() : "off", warmup / 1_000_000);
            } catch (Exception | Error e) {
                session.close();
                throw e;
            }
            return server;
        } catch (Exception | Error e) {
            server.close();
            throw e;
        }
    }

    public int port() {
        return http.actualPort();
    }

    public InferenceMetrics metrics() {
        return metrics;
    }

    /** Inference requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean ready() {
        return model != null && !draining;
    }

    /**
     * Graceful stop: stops being ready, refuses new inference requests with 503, lets those in flight finish (up
     * to the shutdown grace), then closes the listener, the batcher and the ONNX Runtime session.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        draining = true;
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (inFlight.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        closed = true;
        if (model != null) {
            model.close(Duration.ofSeconds(1));
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            System.err.println("closing the HTTP server: " + e);
        }
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (path.equals("/metrics")) {
            if (request.method() != HttpMethod.GET) {
                error(request.response(), new ApiException(405, "use GET", null));
                return;
            }
            request.response().putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            return;
        }
        String[] segments = path.length() > 1 ? path.substring(1).split("/", -1) : new String[0];
        if (segments.length < 1 || !segments[0].equals("v2")) {
            error(request.response(), new ApiException(404, "no such endpoint: " + path, null));
            return;
        }
        if (segments.length >= 3 && segments[1].equals("models")) {
            model(request, segments);
            return;
        }
        if (request.method() != HttpMethod.GET) {
            error(request.response(), new ApiException(405, "use GET", null));
            return;
        }
        if (segments.length == 1) {
            json(request.response(), 200, json -> {
                json.writeStringField("name", SERVER_NAME);
                json.writeStringField("version", SERVER_VERSION);
                json.writeArrayFieldStart("extensions");
                json.writeEndArray();
            });
        } else if (segments.length == 3 && segments[1].equals("health") && segments[2].equals("live")) {
            json(request.response(), 200, json -> json.writeBooleanField("live", true));
        } else if (segments.length == 3 && segments[1].equals("health") && segments[2].equals("ready")) {
            boolean ready = ready();
            json(request.response(), ready ? 200 : 503, json -> json.writeBooleanField("ready", ready));
        } else {
            error(request.response(), new ApiException(404, "no such endpoint: " + path, null));
        }
    }

    /** {@code /v2/models/{name}[/versions/{v}][/ready|/infer]}. */
    private void model(HttpServerRequest request, String[] segments) {
        String name = segments[2];
        int next = 3;
        String version = null;
        if (segments.length >= 5 && segments[3].equals("versions")) {
            version = segments[4];
            next = 5;
        }
        String action = segments.length == next ? "" : segments.length == next + 1 ? segments[next] : null;
        boolean infer = "infer".equals(action);
        if (infer) {
            infer(request, name, version);
            return;
        }
        HttpServerResponse response = request.response();
        if (action == null || !(action.isEmpty() || action.equals("ready"))) {
            error(response, new ApiException(404, "no such endpoint: " + request.path(), null));
            return;
        }
        if (request.method() != HttpMethod.GET) {
            error(response, new ApiException(405, "use GET", null));
            return;
        }
        ApiException unknown = unknownModel(name, version);
        if (unknown != null) {
            error(response, unknown);
        } else if (action.equals("ready")) {
            boolean ready = ready();
            json(response, ready ? 200 : 503, json -> {
                json.writeStringField("name", name);
                json.writeBooleanField("ready", ready);
            });
        } else if (model == null) {
            error(response, new ApiException(503, "the model is still loading", null));
        } else {
            ModelSession.Signature signature = model.signature();
            json(response, 200, json -> {
                json.writeStringField("name", config.modelName());
                json.writeArrayFieldStart("versions");
                json.writeString(config.modelVersion());
                json.writeEndArray();
                json.writeStringField("platform", "onnxruntime_onnx");
                tensors(json, "inputs", signature.inputs());
                tensors(json, "outputs", signature.outputs());
            });
        }
    }

    private ApiException unknownModel(String name, String version) {
        if (!name.equals(config.modelName())) {
            return new ApiException(404, "unknown model '" + name + "'; this server serves '" + config.modelName()
                    + "'", "model_name");
        }
        if (version != null && !version.equals(config.modelVersion())) {
            return new ApiException(404, "model '" + name + "' has no version '" + version + "'; it serves version '"
                    + config.modelVersion() + "'", "model_version");
        }
        return null;
    }

    private void infer(HttpServerRequest request, String name, String version) {
        long start = System.nanoTime();
        HttpServerResponse response = request.response();
        inFlight.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Runnable answered = () -> {
            if (done.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        response.endHandler(v -> answered.run());
        response.closeHandler(v -> answered.run());
        response.exceptionHandler(e -> answered.run());
        if (request.method() != HttpMethod.POST) {
            finish(request, start, new ApiException(405, "use POST for inference", null));
            return;
        }
        ApiException refused = unknownModel(name, version);
        if (refused == null && (draining || model == null)) {
            refused = new ApiException(503, draining ? "shutting down" : "the model is still loading", null);
        }
        String contentType = request.getHeader("Content-Type");
        if (refused == null && contentType != null
                && !contentType.toLowerCase().split(";", 2)[0].trim().equals("application/json")) {
            refused = new ApiException(415, "Content-Type must be application/json, not " + contentType,
                    "Content-Type");
        }
        String length = request.getHeader("Content-Length");
        if (refused == null && length != null && parseLength(length) > config.maxBodyBytes()) {
            refused = tooLarge();
        }
        if (refused != null) {
            // An unread body would be taken for the next request: close the connection after answering.
            response.putHeader("Connection", "close");
            finish(request, start, refused);
            return;
        }
        Buffer body = Buffer.buffer(length == null ? 1024 : (int) parseLength(length));
        boolean[] over = {false};
        request.handler(chunk -> {
            if (over[0]) {
                return;
            }
            if (body.length() + chunk.length() > config.maxBodyBytes()) {
                over[0] = true;
                response.putHeader("Connection", "close");
                finish(request, start, tooLarge());
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (!over[0]) {
                run(request, start, body.getBytes());
            }
        });
    }

    private void run(HttpServerRequest request, long start, byte[] body) {
        ModelService service = model;
        InferenceRequest parsed;
        try {
            parsed = service.parse(body);
        } catch (ApiException e) {
            finish(request, start, e);
            return;
        }
        Context context = Vertx.currentContext();
        service.infer(parsed).whenComplete((outputs, failure) -> context.runOnContext(v -> {
            if (failure != null) {
                finish(request, start, failure);
            } else {
                respond(request, start, parsed, outputs);
            }
        }));
    }

    private void respond(HttpServerRequest request, long start, InferenceRequest parsed,
            Map<String, TensorData> outputs) {
        Buffer body;
        try {
            body = write(json -> {
                json.writeStringField("model_name", config.modelName());
                json.writeStringField("model_version", config.modelVersion());
                if (parsed.id() != null) {
                    json.writeStringField("id", parsed.id());
                }
                json.writeArrayFieldStart("outputs");
                for (Map.Entry<String, TensorData> output : outputs.entrySet()) {
                    json.writeStartObject();
                    json.writeStringField("name", output.getKey());
                    json.writeStringField("datatype", output.getValue().type().datatype());
                    json.writeArrayFieldStart("shape");
                    for (long dim : output.getValue().shape()) {
                        json.writeNumber(dim);
                    }
                    json.writeEndArray();
                    TensorCodec.encodeData(json, output.getValue());
                    json.writeEndObject();
                }
                json.writeEndArray();
            });
        } catch (RuntimeException e) {
            finish(request, start, e);
            return;
        }
        request.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(body);
        metrics.request(InferenceMetrics.Outcome.success, System.nanoTime() - start);
    }

    /** The one place an inference failure becomes a status code, an outcome and a JSON error. */
    private void finish(HttpServerRequest request, long start, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        ApiException error;
        InferenceMetrics.Outcome outcome;
        if (cause instanceof DynamicBatcher.QueueFullException full) {
            error = new ApiException(503, "overloaded: " + full.getMessage() + "; retry later", null);
            request.response().putHeader("Retry-After", "1");
            outcome = InferenceMetrics.Outcome.rejected;
        } else if (cause instanceof ApiException api) {
            error = api;
            if (api.status() == 503) {
                request.response().putHeader("Retry-After", "1");
                outcome = InferenceMetrics.Outcome.rejected;
            } else {
                outcome = api.status() >= 500
                        ? InferenceMetrics.Outcome.server_error
                        : InferenceMetrics.Outcome.client_error;
            }
        } else {
            error = new ApiException(500, "inference failed: " + cause, null);
            outcome = InferenceMetrics.Outcome.server_error;
        }
        error(request.response(), error);
        metrics.request(outcome, System.nanoTime() - start);
    }

    private static ApiException tooLarge() {
        return new ApiException(413, "the body is larger than the limit (MODELOPS_MAX_BODY_BYTES)", "body");
    }

    private static long parseLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static void tensors(JsonGenerator json, String field, Iterable<ModelSession.TensorSpec> specs)
            throws IOException {
        json.writeArrayFieldStart(field);
        for (ModelSession.TensorSpec spec : specs) {
            json.writeStartObject();
            json.writeStringField("name", spec.name());
            json.writeStringField("datatype", spec.datatype());
            json.writeArrayFieldStart("shape");
            for (long dim : spec.shape()) {
                json.writeNumber(dim);
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void error(HttpServerResponse response, ApiException error) {
        if (response.ended() || response.closed()) {
            return;
        }
        json(response, error.status(), json -> {
            json.writeStringField("error", error.getMessage());
            if (error.field() != null) {
                json.writeStringField("field", error.field());
            }
        });
    }

    private interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    private static void json(HttpServerResponse response, int status, Fields fields) {
        response.setStatusCode(status).putHeader("Content-Type", "application/json").end(write(fields));
    }

    private static Buffer write(Fields fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Buffer.buffer(out.toByteArray());
    }
}
