package dev.modelops.sandbox.api;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every write the embedded API server accepted, counted by client (User-Agent): the sandbox's own controllers
 * identify themselves as {@code modelops-sandbox/...}, so the operator's writes can be told apart. Served as JSON at
 * {@code /sandbox/writes} for the steady-state test and for anyone curious.
 */
public final class WriteLog {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RECENT = 200;

    public record Write(Instant at, String userAgent, String method, String path, int code) {
    }

    private final Map<String, Long> byUserAgent = new LinkedHashMap<>();
    private final Deque<Write> recent = new ArrayDeque<>();
    private long total;

    synchronized void record(Write write) {
        total++;
        byUserAgent.merge(write.userAgent(), 1L, Long::sum);
        recent.addLast(write);
        if (recent.size() > RECENT) {
            recent.removeFirst();
        }
    }

    public synchronized long total() {
        return total;
    }

    public synchronized ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode().put("total", total);
        ObjectNode agents = root.putObject("byUserAgent");
        byUserAgent.forEach(agents::put);
        ArrayNode list = root.putArray("recent");
        for (Write w : recent) {
            list.addObject().put("at", w.at().toString()).put("userAgent", w.userAgent()).put("method", w.method())
                    .put("path", w.path()).put("code", w.code());
        }
        return root;
    }
}
