package dev.modelops.runtime.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A real server on an ephemeral loopback port and a real HTTP client. */
final class TestServer implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    final InferenceServer server;
    final String base;

    TestServer(Path model, Map<String, String> settings) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("MODELOPS_MODEL_NAME", "iris", "MODELOPS_MODEL_VERSION", "3",
                "MODELOPS_MODEL_PATH", model.toString(), "MODELOPS_HOST", "127.0.0.1", "MODELOPS_PORT", "0",
                "MODELOPS_GRPC_PORT", "0",
                "MODELOPS_TRACK", "canary", "MODELOPS_INTRA_OP_THREADS", "1", "MODELOPS_INTER_OP_THREADS", "1",
                "MODELOPS_SHUTDOWN_GRACE_SECONDS", "5"));
        env.put("MODELOPS_SHUTDOWN_DELAY_SECONDS", "0");
        env.putAll(settings);
        server = InferenceServer.start(ServerConfig.fromEnvironment(env));
        base = "http://127.0.0.1:" + server.port();
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
    }

    Reply get(String path) throws Exception {
        return reply(CLIENT.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    Reply post(String path, String body) throws Exception {
        return post(path, body, "application/json");
    }

    Reply post(String path, String body, String contentType) throws Exception {
        return reply(CLIENT.send(request(path, body, contentType), HttpResponse.BodyHandlers.ofString()));
    }

    HttpRequest request(String path, String body, String contentType) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    static Reply reply(HttpResponse<String> response) throws Exception {
        String type = response.headers().firstValue("Content-Type").orElse("");
        return new Reply(response.statusCode(), type.startsWith("application/json")
                ? JSON.readTree(response.body())
                : null, response);
    }

    String metrics() throws Exception {
        return get("/metrics").raw().body();
    }

    @Override
    public void close() {
        server.close();
    }
}
