package dev.modelops.runtime.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.modelops.contract.RuntimeContract;
import dev.modelops.runtime.batching.DynamicBatcher;
import dev.modelops.runtime.metrics.InferenceMetrics;
import dev.modelops.runtime.onnx.ModelSession;
import dev.modelops.runtime.onnx.TensorData;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The Open Inference Protocol (KServe v2) over HTTP/1.1 on Vert.x, plus {@code GET /metrics}. Requests are parsed
 * on the event loop, run on the model's batcher thread, and answered on the event loop. Every failure becomes a
 * status code in {@link #fail}.
 */
public final class InferenceServer implements AutoCloseable {

    private static final JsonFactory JSON = TensorCodec.JSON;
    static final String SERVER_NAME = "modelops-runtime";
    static final String SERVER_VERSION = InferenceServer.class.getPackage().getImplementationVersion() == null
            ? "dev"
            : InferenceServer.class.getPackage().getImplementationVersion();

    final ServerConfig config;
    final InferenceMetrics metrics;
    private final Vertx vertx;
    private final HttpServer http;
    private final EventLoopGroup grpcEventLoops;
    private final Server grpc;
    final AtomicInteger inFlight = new AtomicInteger();
    volatile ModelService model;
    /** Stopping: not ready any more, still answering (for the shutdown delay). */
    volatile boolean stopping;
    /** Refusing new inference requests, finishing those in flight. */
    volatile boolean draining;
    private volatile boolean closed;

    private InferenceServer(ServerConfig config) {
        this.config = config;
        this.metrics = new InferenceMetrics(config.modelName(), config.modelVersion(), config.track());
        metrics.inFlight(inFlight::get);
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(config.eventLoops())
                .setWorkerPoolSize(1).setInternalBlockingPoolSize(1).setPreferNativeTransport(false));
        this.http = vertx.createHttpServer(new HttpServerOptions().setHost(config.host()).setPort(config.port())
                .setTcpNoDelay(true).setCompressionSupported(false).setIdleTimeout(0));
        http.requestHandler(router());
        // gRPC on its own port and its own (shaded) Netty with one event loop: requests are decoded and checked
        // there, and responses built and sent there, as Vert.x does for HTTP; the batcher's thread only runs batches.
        this.grpcEventLoops = new NioEventLoopGroup(1, runnable -> {
            Thread thread = new Thread(runnable, "grpc-event-loop");
            thread.setDaemon(true);
            return thread;
        });
        this.grpc = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()))
                .bossEventLoopGroup(grpcEventLoops).workerEventLoopGroup(grpcEventLoops)
                .channelType(NioServerSocketChannel.class).directExecutor()
                .maxInboundMessageSize((int) Math.min(Integer.MAX_VALUE, config.maxBodyBytes()))
                .addService(new GrpcInferenceService(this, grpcEventLoops.next())).build();
    }

    /**
     * Listens first (so liveness answers during a long load), then loads the model, warms it up and becomes ready.
     * Returns once ready; a model that does not load closes the server and throws.
     */
    public static InferenceServer start(ServerConfig config) throws Exception {
        InferenceServer server = new InferenceServer(config);
        try {
            server.http.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            server.grpc.start();
            // The event loops parse and answer while the model runs: automatic threads leave them their cores.
            ModelSession session = ModelSession.load(config.modelPath(), config.intraOpThreads(),
                    config.interOpThreads(), config.eventLoops());
            try {
                WarmUp.Result warmup = warmUp(session, config);
                server.model = new ModelService(config, session, server.metrics, warmup.ok()
                        ? warmup.repeatNanos()
                        : -1);
                System.out.printf("serving %s version %s on port %d, gRPC on %d (batching %s, intra-op threads %d,"
                        + " warm-up %s, a lone request runs %s)%n", config.modelName(), config.modelVersion(),
                        server.port(), server.grpcPort(),
                        server.model.batching() ? "up to " + config.maxBatchSize() : "off",
                        session.threads().intraOp(), warmup.ok()
                                ? warmup.nanos() / 1_000_000 + " ms, warm " + warmup.repeatNanos() / 1000 + " us"
                                : "failed",
                        server.model.runsInlineWhenAlone() ? "inline" : "through the batcher");
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

    /**
     * Warms the session up on the configured sample input, else on zeros. A failure is logged and the server
     * serves anyway: the first real request is then only slower.
     */
    private static WarmUp.Result warmUp(ModelSession session, ServerConfig config) {
        Map<String, TensorData> inputs = null;
        if (config.warmupInput() != null) {
            try {
                inputs = WarmUp.sample(config.warmupInput(), session.signature());
            } catch (IllegalArgumentException e) {
                System.err.println("warm-up: " + e.getMessage() + "; warming up on zeros instead");
            }
        }
        WarmUp.Result result;
        try {
            result = WarmUp.run(session, inputs != null ? inputs : WarmUp.zeros(session.signature()), true);
        } catch (IllegalArgumentException e) {
            result = new WarmUp.Result(0, e.getMessage());
        }
        if (!result.ok()) {
            System.err.println("warm-up: the warm-up inference on " + (inputs != null ? "the sample input" : "zeros")
                    + " failed, serving anyway: " + result.error());
        }
        return result;
    }

    public int port() {
        return http.actualPort();
    }

    public int grpcPort() {
        return grpc.getPort();
    }

    public InferenceMetrics metrics() {
        return metrics;
    }

    /**
     * Whether the request being handled is the only inference request in flight (HTTP and gRPC together): it then
     * has nothing to be batched with (see {@link ModelService#infer}).
     */
    boolean alone() {
        return inFlight.get() == 1;
    }

    /** Inference requests received and not yet answered. */
    public int inFlight() {
        return inFlight.get();
    }

    public boolean ready() {
        return model != null && !stopping;
    }

    /**
     * Graceful stop: stops being ready but goes on answering for the shutdown delay (while Services and load
     * balancers drop this endpoint), then refuses new inference requests with 503, lets those in flight finish (up
     * to the shutdown grace), then closes the listener, the batcher and the ONNX Runtime session.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stopping = true;
        if (model != null && !config.shutdownDelay().isZero()) {
            try {
                Thread.sleep(config.shutdownDelay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
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
        try {
            if (!grpc.shutdown().awaitTermination(5, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            grpc.shutdownNow();
        }
        grpcEventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    /** Every route of the HTTP API; anything else is a JSON 404, a known path with another method a JSON 405. */
    private Router router() {
        Router router = Router.router(vertx);
        router.get(RuntimeContract.PATH_METRICS).handler(ctx -> ctx.response()
                .putHeader("Content-Type", InferenceMetrics.CONTENT_TYPE).end(metrics.scrape()));
        router.get(RuntimeContract.PATH_LIVE).handler(ctx -> json(ctx.response(), 200, json -> json
                .writeBooleanField("live", true)));
        router.get(RuntimeContract.PATH_READY).handler(ctx -> {
            boolean ready = ready();
            json(ctx.response(), ready ? 200 : 503, json -> json.writeBooleanField("ready", ready));
        });
        router.get("/v2").handler(ctx -> json(ctx.response(), 200, json -> {
            json.writeStringField("name", SERVER_NAME);
            json.writeStringField("version", SERVER_VERSION);
            json.writeArrayFieldStart("extensions");
            json.writeString("binary_tensor_data");
            json.writeEndArray();
        }));
        for (String model : List.of("/v2/models/:name", "/v2/models/:name/versions/:version")) {
            router.get(model).handler(this::metadata);
            router.get(model + "/ready").handler(this::modelReady);
            router.post(model + "/infer").handler(ctx -> infer(ctx.request(), ctx.pathParam("name"), ctx
                    .pathParam("version")));
        }
        router.errorHandler(404, ctx -> error(ctx.response(), new ApiException(404, "no such endpoint: "
                + ctx.request().method() + " " + ctx.request().path(), null)));
        router.errorHandler(405, ctx -> error(ctx.response(), new ApiException(405, ctx.request().method()
                + " is not allowed on " + ctx.request().path(), null)));
        return router;
    }

    private void modelReady(RoutingContext ctx) {
        ApiException unknown = unknownModel(ctx.pathParam("name"), ctx.pathParam("version"));
        if (unknown != null) {
            error(ctx.response(), unknown);
            return;
        }
        boolean ready = ready();
        json(ctx.response(), ready ? 200 : 503, json -> {
            json.writeStringField("name", ctx.pathParam("name"));
            json.writeBooleanField("ready", ready);
        });
    }

    private void metadata(RoutingContext ctx) {
        ApiException unknown = unknownModel(ctx.pathParam("name"), ctx.pathParam("version"));
        if (unknown != null) {
            error(ctx.response(), unknown);
        } else if (model == null) {
            error(ctx.response(), new ApiException(503, "the model is still loading", null));
        } else {
            ModelSession.Signature signature = model.signature();
            json(ctx.response(), 200, json -> {
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

    ApiException unknownModel(String name, String version) {
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
        ApiException refused = unknownModel(name, version);
        if (refused == null && (draining || model == null)) {
            refused = new ApiException(503, draining ? "shutting down" : "the model is still loading", null);
        }
        String headerLength = request.getHeader(BinaryTensors.HEADER_LENGTH);
        String contentType = request.getHeader("Content-Type");
        String mediaType = contentType == null ? null : contentType.toLowerCase().split(";", 2)[0].trim();
        if (refused == null && mediaType != null && !mediaType.equals("application/json")
                && !(headerLength != null && mediaType.equals("application/octet-stream"))) {
            refused = new ApiException(415, "Content-Type must be application/json (or application/octet-stream"
                    + " with " + BinaryTensors.HEADER_LENGTH + "), not " + contentType, "Content-Type");
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
                run(request, start, body.getBytes(), headerLength);
            }
        });
        request.resume();
    }

    private void run(HttpServerRequest request, long start, byte[] body, String headerLength) {
        ModelService service = model;
        InferenceRequest parsed;
        try {
            parsed = service.parse(body, jsonLength(headerLength, body.length));
        } catch (ApiException e) {
            finish(request, start, e);
            return;
        }
        Context context = Vertx.currentContext();
        // Answered from the event loop's task queue even after an inline run: the answer is then sent once the event
        // loop has read what else arrived meanwhile, which finds this request still in flight and goes to the batcher
        // (answering at once would make every request read after it alone again, one by one: no batching at all).
        service.infer(parsed, alone()).whenComplete((outputs, failure) -> context.runOnContext(v -> answer(
                request, start, parsed, outputs, failure)));
    }

    private void answer(HttpServerRequest request, long start, InferenceRequest parsed,
            Map<String, TensorData> outputs, Throwable failure) {
        if (failure != null) {
            finish(request, start, failure);
        } else {
            respond(request, start, parsed, outputs);
        }
    }

    private void respond(HttpServerRequest request, long start, InferenceRequest parsed,
            Map<String, TensorData> outputs) {
        Buffer body;
        List<byte[]> binary = new ArrayList<>();
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
                    if (parsed.binaryOutputs().contains(output.getKey())) {
                        byte[] raw = BinaryTensors.encode(output.getValue());
                        binary.add(raw);
                        json.writeObjectFieldStart("parameters");
                        json.writeNumberField("binary_data_size", raw.length);
                        json.writeEndObject();
                    } else {
                        TensorCodec.encodeData(json, output.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
            });
        } catch (RuntimeException e) {
            finish(request, start, e);
            return;
        }
        HttpServerResponse response = request.response().setStatusCode(200);
        if (binary.isEmpty()) {
            response.putHeader("Content-Type", "application/json");
        } else {
            response.putHeader("Content-Type", "application/octet-stream").putHeader(BinaryTensors.HEADER_LENGTH,
                    Integer.toString(body.length()));
            binary.forEach(body::appendBytes);
        }
        response.end(body);
        metrics.request(InferenceMetrics.Outcome.success, System.nanoTime() - start);
    }

    /** Where the JSON ends: the binary extension's header, or the whole body without it. */
    private static int jsonLength(String header, int bodyLength) {
        if (header == null) {
            return bodyLength;
        }
        long length = parseLength(header);
        if (length < 0 || length > bodyLength) {
            throw ApiException.badRequest(BinaryTensors.HEADER_LENGTH + " must be a number of bytes from 0 to the"
                    + " body's length (" + bodyLength + "), got '" + header + "'", BinaryTensors.HEADER_LENGTH);
        }
        return (int) length;
    }

    /** An inference failure as the client sees it, and how the request is counted. */
    record Failure(ApiException error, InferenceMetrics.Outcome outcome) {
    }

    /** The one place an inference failure becomes a status, an outcome and a message, for HTTP and gRPC alike. */
    static Failure classify(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause()
                : failure;
        if (cause instanceof DynamicBatcher.QueueFullException full) {
            return new Failure(new ApiException(503, "overloaded: " + full.getMessage() + "; retry later", null),
                    InferenceMetrics.Outcome.rejected);
        }
        if (cause instanceof ApiException api) {
            return new Failure(api, api.status() == 503
                    ? InferenceMetrics.Outcome.rejected
                    : api.status() >= 500
                            ? InferenceMetrics.Outcome.server_error
                            : InferenceMetrics.Outcome.client_error);
        }
        return new Failure(new ApiException(500, "inference failed: " + cause, null),
                InferenceMetrics.Outcome.server_error);
    }

    private void finish(HttpServerRequest request, long start, Throwable failure) {
        Failure classified = classify(failure);
        if (classified.error().status() == 503) {
            request.response().putHeader("Retry-After", "1");
        }
        error(request.response(), classified.error());
        metrics.request(classified.outcome(), System.nanoTime() - start);
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
