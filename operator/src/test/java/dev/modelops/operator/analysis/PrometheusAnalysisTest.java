package dev.modelops.operator.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.modelops.api.common.MeasurementOutcome;
import dev.modelops.api.deployment.AnalysisMetric;
import dev.modelops.api.deployment.AnalysisMetricType;
import dev.modelops.api.deployment.AnalysisTemplate;

/** The Prometheus path of the analysis against an HTTP server that answers as Prometheus's query API does. */
class PrometheusAnalysisTest {

    private HttpServer prometheus;
    private final List<String> queries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        prometheus.createContext("/api/v1/query", exchange -> {
            String query = URLDecoder.decode(exchange.getRequestURI().getRawQuery().substring("query=".length()),
                    StandardCharsets.UTF_8);
            queries.add(query);
            String body = answer(query);
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(body.contains("\"error\"") ? 400 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        prometheus.start();
    }

    @AfterEach
    void stop() {
        prometheus.stop(0);
    }

    /** What Prometheus answers: a canary with 5 % server errors whose predictions lean to one class. */
    private static String answer(String query) {
        boolean canary = query.contains("track=\"canary\"");
        if (query.startsWith("bad(")) {
            return "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}";
        }
        if (query.contains("sum by (class)")) {
            String a = canary ? "90" : "50";
            String b = canary ? "10" : "50";
            return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":["
                    + "{\"metric\":{\"class\":\"a\"},\"value\":[1700000000,\"" + a + "\"]},"
                    + "{\"metric\":{\"class\":\"b\"},\"value\":[1700000000,\"" + b + "\"]}]}}";
        }
        String value;
        if (query.startsWith("histogram_quantile")) {
            value = canary ? "0.02" : "0.01";
        } else if (query.contains("server_error")) {
            value = canary ? "10" : "0";
        } else if (query.startsWith("sum(increase(modelops_inference_requests_total")) {
            value = "200";
        } else {
            value = "0.015";
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},"
                + "\"value\":[1700000000,\"" + value + "\"]}]}}";
    }

    private static AnalysisMetric metric(String name, AnalysisMetricType type, double max, String query) {
        AnalysisMetric m = new AnalysisMetric();
        m.setName(name);
        m.setType(type);
        m.setMax(max);
        m.setQuery(query);
        return m;
    }

    @Test
    void measuresTheIntervalThroughPromQlAndJudgesIt() {
        AnalysisTemplate t = new AnalysisTemplate();
        t.setPrometheusAddress("http://127.0.0.1:" + prometheus.getAddress().getPort() + "/");
        t.setMinRequests(100);
        t.setMetrics(List.of(metric("error-rate", AnalysisMetricType.ErrorRate, 0.01, null),
                metric("p99", AnalysisMetricType.LatencyP99, 0.05, null),
                metric("drift", AnalysisMetricType.PredictionDrift, 0.1, null),
                metric("flag-rate", AnalysisMetricType.Prometheus, 0.03,
                        "sum(rate(modelops_predictions_total{class=\"a\",{{canary}}}[5m]))")));
        AnalysisRunner runner = new AnalysisRunner(new PodMetricsClient(), new PrometheusClient());
        AnalysisRunner.Key key = new AnalysisRunner.Key("uid", "iris-v2", 1);
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");

        assertThat(runner.measure(key, t, Duration.ofMinutes(1), "iris", "2", "1", List.of(), List.of(), t0))
                .as("the first call starts the interval").isEmpty();
        assertThat(runner.measure(key, t, Duration.ofMinutes(1), "iris", "2", "1", List.of(), List.of(), t0
                .plusSeconds(30))).as("not an interval yet").isEmpty();
        Optional<Observed> observed = runner.measure(key, t, Duration.ofMinutes(1), "iris", "2", "1", List.of(),
                List.of(), t0.plusSeconds(61));
        assertThat(observed).isPresent();
        assertThat(observed.get().canaryRequests()).isEqualTo(200);
        assertThat(observed.get().canaryErrorRate()).isEqualTo(0.05);
        assertThat(observed.get().stableErrorRate()).isZero();
        assertThat(observed.get().canaryP99()).isEqualTo(0.02);
        assertThat(observed.get().canaryClasses()).containsEntry("a", 90.0);

        AnalysisPlanner.Result result = AnalysisPlanner.judge(t, observed.get(), t0.plusSeconds(61));
        assertThat(result.outcome()).isEqualTo(MeasurementOutcome.Failed);
        assertThat(result.measurements()).extracting(m -> m.getMetric() + "=" + m.getOutcome()).containsExactly(
                "error-rate=Failed", "p99=Successful", "drift=Failed", "flag-rate=Successful");
        assertThat(queries).anyMatch(q -> q.equals("sum(rate(modelops_predictions_total{class=\"a\",model=\"iris\","
                + "version=\"2\",track=\"canary\"}[5m]))"));
        assertThat(queries).anyMatch(q -> q.contains("[60s]"));
    }

    @Test
    void prometheusErrorsAreReportedNeverSuccessful() {
        PrometheusClient client = new PrometheusClient();
        String address = "http://127.0.0.1:" + prometheus.getAddress().getPort();
        assertThatThrownBy(() -> client.query(address, "bad(", null)).hasMessageContaining("bad_data")
                .hasMessageContaining("parse error");
        assertThat(assertQuery(client, address)).isEqualTo(Map.of("a", 50.0, "b", 50.0));

        AnalysisTemplate t = new AnalysisTemplate();
        t.setPrometheusAddress("http://127.0.0.1:1");
        t.setMetrics(List.of(metric("error-rate", AnalysisMetricType.ErrorRate, 0.01, null)));
        AnalysisRunner runner = new AnalysisRunner(new PodMetricsClient(), new PrometheusClient());
        AnalysisRunner.Key key = new AnalysisRunner.Key("uid", "iris-v2", 1);
        Instant t0 = Instant.parse("2026-11-23T10:00:00Z");
        runner.measure(key, t, Duration.ofMinutes(1), "iris", "2", "1", List.of(), List.of(), t0);
        Observed unreachable = runner.measure(key, t, Duration.ofMinutes(1), "iris", "2", "1", List.of(), List.of(),
                t0.plusSeconds(60)).orElseThrow();
        assertThat(unreachable.error()).contains("querying Prometheus failed");
        assertThat(AnalysisPlanner.judge(t, unreachable, t0).outcome()).isEqualTo(MeasurementOutcome.Error);
    }

    private static Map<String, Double> assertQuery(PrometheusClient client, String address) {
        try {
            return client.query(address, "sum by (class) (increase(x{track=\"stable\"}[60s]))", "class");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
