package dev.modelops.operator;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

import com.sun.net.httpserver.HttpServer;

/**
 * A track's pods' {@code /metrics}, in the runtime's exposition format, for analysis on the mock API server: the test
 * sets how many requests succeeded, failed and what was predicted, the operator scrapes it like a pod.
 */
public final class FakeMetricsServer implements AutoCloseable {

    private final HttpServer server;
    private final String track;
    private final java.util.concurrent.atomic.AtomicInteger scrapes = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long success;
    private volatile long serverErrors;
    private final Map<String, Long> predictions = new TreeMap<>();

    public FakeMetricsServer(String track) throws IOException {
        this.track = track;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/metrics", exchange -> {
            byte[] body = text().getBytes(StandardCharsets.UTF_8);
            scrapes.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    /** How many times the operator read the metrics (its first read of an analysis is the baseline). */
    public int scrapes() {
        return scrapes.get();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Traffic served since the last call: {@code ok} successes, {@code errors} 5xx, predicted {@code classes}. */
    public synchronized void serve(long ok, long errors, Map<String, Long> classes) {
        success += ok;
        serverErrors += errors;
        classes.forEach((c, n) -> predictions.merge(c, n, Long::sum));
    }

    private synchronized String text() {
        String l = "model=\"m\",version=\"1\",track=\"" + track + "\"";
        long total = success + serverErrors;
        StringBuilder out = new StringBuilder();
        out.append("# TYPE modelops_inference_requests_total counter\n");
        out.append("modelops_inference_requests_total{").append(l).append(",outcome=\"success\"} ").append(success)
                .append('\n');
        out.append("modelops_inference_requests_total{").append(l).append(",outcome=\"client_error\"} 0\n");
        out.append("modelops_inference_requests_total{").append(l).append(",outcome=\"server_error\"} ")
                .append(serverErrors).append('\n');
        out.append("modelops_inference_requests_total{").append(l).append(",outcome=\"rejected\"} 0\n");
        out.append("# TYPE modelops_inference_request_duration_seconds histogram\n");
        for (String le : new String[]{"0.001", "0.0025", "0.005", "+Inf"}) {
            long count = le.equals("0.001") ? total / 2 : total;
            out.append("modelops_inference_request_duration_seconds_bucket{").append(l).append(",le=\"").append(le)
                    .append("\"} ").append(count).append('\n');
        }
        out.append("modelops_inference_request_duration_seconds_count{").append(l).append("} ").append(total)
                .append('\n');
        predictions.forEach((c, n) -> out.append("modelops_predictions_total{").append(l).append(",class=\"")
                .append(c).append("\"} ").append(n).append('\n'));
        return out.toString();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
