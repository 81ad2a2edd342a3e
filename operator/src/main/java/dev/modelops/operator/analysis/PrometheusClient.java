package dev.modelops.operator.analysis;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Instant queries against Prometheus's HTTP API ({@code /api/v1/query}). */
@ApplicationScoped
public class PrometheusClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    /**
     * The query's result as label value (of {@code byLabel}, or "" for a scalar or an unlabelled sample) to number.
     * Throws with Prometheus's own error text when the query fails.
     */
    public Map<String, Double> query(String address, String promql, String byLabel) throws IOException {
        URI uri = URI.create(address.replaceAll("/+$", "") + "/api/v1/query?query="
                + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).timeout(TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while querying Prometheus", e);
        }
        JsonNode body;
        try {
            body = JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IOException("Prometheus answered " + response.statusCode() + " with no JSON");
        }
        if (!"success".equals(body.path("status").asText())) {
            throw new IOException("Prometheus: " + body.path("errorType").asText("error") + ": " + body.path("error")
                    .asText(String.valueOf(response.statusCode())));
        }
        JsonNode data = body.path("data");
        Map<String, Double> values = new LinkedHashMap<>();
        switch (data.path("resultType").asText()) {
            case "scalar" -> values.put("", number(data.path("result").get(1)));
            case "vector" -> {
                for (JsonNode sample : data.path("result")) {
                    String key = byLabel == null ? "" : sample.path("metric").path(byLabel).asText("");
                    values.merge(key, number(sample.path("value").get(1)), Double::sum);
                }
            }
            default -> throw new IOException("Prometheus returned a " + data.path("resultType").asText()
                    + ", not a number");
        }
        return values;
    }

    private static double number(JsonNode text) {
        String value = text == null ? "NaN" : text.asText();
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }
}
