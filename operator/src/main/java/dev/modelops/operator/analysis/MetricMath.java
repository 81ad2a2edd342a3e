package dev.modelops.operator.analysis;

import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import dev.modelops.contract.RuntimeContract;

/**
 * Pure: the arithmetic of canary analysis on the runtime's counters. Windows are counter increases between two
 * scrapes, summed over a track's pods; a counter that went down belongs to a restarted pod, whose whole current value
 * is its increase.
 */
public final class MetricMath {

    private MetricMath() {
    }

    /** The increase of every series from {@code before} to {@code after} of one pod, resets handled. */
    public static Map<String, Double> increase(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> delta = new TreeMap<>();
        after.forEach((id, value) -> {
            Double old = before == null ? null : before.get(id);
            delta.put(id, old == null || value < old ? value : value - old);
        });
        return delta;
    }

    /** Adds {@code window} into {@code total}. */
    public static void addInto(Map<String, Double> total, Map<String, Double> window) {
        window.forEach((id, value) -> total.merge(id, value, Double::sum));
    }

    public static double requests(Map<String, Double> window) {
        return sum(window, RuntimeContract.METRIC_REQUESTS + "|");
    }

    /** Server errors over requests; NaN without requests. */
    public static double errorRate(Map<String, Double> window) {
        double total = requests(window);
        double errors = window.getOrDefault(RuntimeContract.METRIC_REQUESTS + "|" + RuntimeContract.LABEL_OUTCOME
                + "=" + RuntimeContract.OUTCOME_SERVER_ERROR, 0.0);
        return total == 0 ? Double.NaN : errors / total;
    }

    /**
     * The q-quantile of request duration from the histogram's bucket increases, interpolated linearly within the
     * bucket as Prometheus' histogram_quantile does; NaN without observations.
     */
    public static double quantile(Map<String, Double> window, double q) {
        String prefix = RuntimeContract.METRIC_REQUEST_DURATION + "_bucket|le=";
        TreeMap<Double, Double> buckets = new TreeMap<>();
        window.forEach((id, value) -> {
            if (id.startsWith(prefix)) {
                String le = id.substring(prefix.length());
                buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), value);
            }
        });
        if (buckets.isEmpty() || buckets.lastEntry().getValue() <= 0) {
            return Double.NaN;
        }
        double total = buckets.lastEntry().getValue();
        double rank = q * total;
        double lowerBound = 0;
        double lowerCount = 0;
        for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
            if (bucket.getValue() >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound; // above the highest finite bucket: its bound is the best known value
                }
                double inBucket = bucket.getValue() - lowerCount;
                return inBucket <= 0
                        ? bucket.getKey()
                        : lowerBound + (bucket.getKey() - lowerBound) * (rank - lowerCount) / inBucket;
            }
            lowerBound = bucket.getKey();
            lowerCount = bucket.getValue();
        }
        return lowerBound;
    }

    /** Predicted class to count in the window. */
    public static Map<String, Double> predictions(Map<String, Double> window) {
        String prefix = RuntimeContract.METRIC_PREDICTIONS + "|" + RuntimeContract.LABEL_CLASS + "=";
        Map<String, Double> classes = new TreeMap<>();
        window.forEach((id, value) -> {
            if (id.startsWith(prefix)) {
                classes.merge(id.substring(prefix.length()), value, Double::sum);
            }
        });
        return classes;
    }

    /**
     * Jensen-Shannon divergence (base 2) between two class distributions given as counts: 0 for the same
     * distribution, 1 for disjoint ones; symmetric and finite even when a class is absent on one side (unlike KL or
     * PSI). NaN when either side has no predictions.
     */
    public static double jensenShannon(Map<String, Double> a, Map<String, Double> b) {
        double totalA = a.values().stream().mapToDouble(Double::doubleValue).sum();
        double totalB = b.values().stream().mapToDouble(Double::doubleValue).sum();
        if (totalA <= 0 || totalB <= 0) {
            return Double.NaN;
        }
        double divergence = 0;
        for (String c : new TreeSet<>(union(a, b))) {
            double p = a.getOrDefault(c, 0.0) / totalA;
            double q = b.getOrDefault(c, 0.0) / totalB;
            double m = (p + q) / 2;
            divergence += term(p, m) / 2 + term(q, m) / 2;
        }
        return Math.max(0, Math.min(1, divergence));
    }

    /**
     * Whether two class distributions name their classes in different schemes, so that comparing them means nothing:
     * one side labels predictions by class index (a version without spec.classLabels) and the other by name, and no
     * class is common. Jensen-Shannon would read that as total drift (1).
     */
    public static boolean namedDifferently(Map<String, Double> a, Map<String, Double> b) {
        if (a.isEmpty() || b.isEmpty() || a.keySet().stream().anyMatch(b::containsKey)) {
            return false;
        }
        return indices(a.keySet()) != indices(b.keySet());
    }

    private static boolean indices(java.util.Set<String> classes) {
        return classes.stream().filter(c -> !c.equals(RuntimeContract.OTHER_CLASS)).allMatch(c -> c.matches("\\d+"));
    }

    private static java.util.Set<String> union(Map<String, Double> a, Map<String, Double> b) {
        java.util.Set<String> keys = new java.util.HashSet<>(a.keySet());
        keys.addAll(b.keySet());
        return keys;
    }

    private static double term(double p, double m) {
        return p == 0 ? 0 : p * Math.log(p / m) / Math.log(2);
    }

    private static double sum(Map<String, Double> window, String prefix) {
        return window.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToDouble(Map.Entry::getValue).sum();
    }
}
