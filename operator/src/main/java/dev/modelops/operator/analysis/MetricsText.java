package dev.modelops.operator.analysis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import dev.modelops.contract.RuntimeContract;

/**
 * Pure: reads the runtime's Prometheus text exposition into the series the analysis uses, keyed by metric name and
 * the labels that tell series apart within one pod ({@code outcome}, {@code le}, {@code class}); the pod's own labels
 * (model, version, track) are dropped, since a scrape is of one pod.
 */
public final class MetricsText {

    private MetricsText() {
    }

    /** Series id to value. */
    public static Map<String, Double> parse(String text) {
        Map<String, Double> series = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = brace < 0 ? line.indexOf(' ') : line.indexOf(' ', line.lastIndexOf('}'));
            if (space < 0) {
                continue;
            }
            String name = brace < 0 ? line.substring(0, space) : line.substring(0, brace);
            if (!name.startsWith("modelops_")) {
                continue;
            }
            Map<String, String> labels = brace < 0
                    ? Map.of()
                    : labels(line.substring(brace + 1, line.lastIndexOf('}')));
            String valueText = line.substring(space + 1).strip().split("\\s+")[0];
            double value;
            try {
                value = switch (valueText) {
                    case "+Inf" -> Double.POSITIVE_INFINITY;
                    case "-Inf" -> Double.NEGATIVE_INFINITY;
                    case "NaN" -> Double.NaN;
                    default -> Double.parseDouble(valueText);
                };
            } catch (NumberFormatException e) {
                continue;
            }
            series.merge(id(name, labels), value, Double::sum);
        }
        return series;
    }

    /** The id of a series: {@code name} or {@code name|key=value} for the distinguishing labels, sorted. */
    public static String id(String name, Map<String, String> labels) {
        Map<String, String> kept = new TreeMap<>(labels);
        kept.remove(RuntimeContract.LABEL_MODEL);
        kept.remove(RuntimeContract.LABEL_VERSION);
        kept.remove(RuntimeContract.LABEL_TRACK);
        StringBuilder id = new StringBuilder(name);
        kept.forEach((k, v) -> id.append('|').append(k).append('=').append(v));
        return id.toString();
    }

    static Map<String, String> labels(String body) {
        Map<String, String> labels = new LinkedHashMap<>();
        int i = 0;
        while (i < body.length()) {
            int eq = body.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = body.substring(i, eq).strip().replaceFirst("^,", "").strip();
            int start = body.indexOf('"', eq) + 1;
            StringBuilder value = new StringBuilder();
            int j = start;
            for (; j < body.length(); j++) {
                char c = body.charAt(j);
                if (c == '\\' && j + 1 < body.length()) {
                    char n = body.charAt(++j);
                    value.append(n == 'n' ? '\n' : n);
                } else if (c == '"') {
                    break;
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i = j + 1;
        }
        return labels;
    }
}
