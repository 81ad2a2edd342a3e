package dev.modelops.operator.rollout;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import dev.modelops.api.deployment.Gates;
import dev.modelops.api.deployment.RegressionGate;
import dev.modelops.api.version.ModelVersion;

/**
 * Pure: checks a version's recorded metrics (spec.metrics) against {@code rollout.gates} before any traffic reaches
 * it. A failure names each gate that failed with the values compared, so the reason is evidence by itself.
 */
public final class GateCheck {

    /** {@code failures} is empty when every gate passed. */
    public record Result(List<String> failures) {

        public boolean passed() {
            return failures.isEmpty();
        }

        public String message() {
            return String.join("; ", failures);
        }
    }

    private GateCheck() {
    }

    /** {@code stable} may be null (nothing serves yet): the no-worse-than-stable gates then have nothing to compare. */
    public static Result check(Gates gates, ModelVersion candidate, ModelVersion stable) {
        List<String> failures = new ArrayList<>();
        if (gates == null) {
            return new Result(failures);
        }
        Map<String, Double> metrics = metrics(candidate);
        new TreeMap<>(gates.getMinimums() == null ? Map.<String, Double>of() : gates.getMinimums())
                .forEach((metric, minimum) -> {
                    Double value = metrics.get(metric);
                    if (value == null) {
                        failures.add(metric + " is not recorded (minimum " + format(minimum) + ")");
                    } else if (value < minimum) {
                        failures.add(metric + " " + format(value) + " is below the minimum " + format(minimum));
                    }
                });
        new TreeMap<>(gates.getMaximums() == null ? Map.<String, Double>of() : gates.getMaximums())
                .forEach((metric, maximum) -> {
                    Double value = metrics.get(metric);
                    if (value == null) {
                        failures.add(metric + " is not recorded (maximum " + format(maximum) + ")");
                    } else if (value > maximum) {
                        failures.add(metric + " " + format(value) + " is above the maximum " + format(maximum));
                    }
                });
        if (gates.getNoWorseThanStable() != null && stable != null && !sameVersion(candidate, stable)) {
            Map<String, Double> stableMetrics = metrics(stable);
            for (RegressionGate gate : gates.getNoWorseThanStable()) {
                Double value = metrics.get(gate.getMetric());
                Double reference = stableMetrics.get(gate.getMetric());
                double tolerance = gate.getTolerance() == null ? 0 : gate.getTolerance();
                boolean lowerIsBetter = Boolean.TRUE.equals(gate.getLowerIsBetter());
                if (reference == null) {
                    continue; // the stable version never recorded it: there is nothing to be worse than
                }
                if (value == null) {
                    failures.add(gate.getMetric() + " is not recorded (stable " + stable.getMetadata().getName()
                            + " has " + format(reference) + ")");
                } else if (lowerIsBetter ? value > reference + tolerance : value < reference - tolerance) {
                    failures.add(gate.getMetric() + " " + format(value) + " is worse than stable "
                            + stable.getMetadata().getName() + "'s " + format(reference) + " (tolerance "
                            + format(tolerance) + ", " + (lowerIsBetter ? "lower" : "higher") + " is better)");
                }
            }
        }
        return new Result(failures);
    }

    private static boolean sameVersion(ModelVersion a, ModelVersion b) {
        return a.getMetadata().getName().equals(b.getMetadata().getName());
    }

    private static Map<String, Double> metrics(ModelVersion version) {
        return version.getSpec().getMetrics() == null ? Map.of() : version.getSpec().getMetrics();
    }

    static String format(double value) {
        return String.format(Locale.ROOT, "%.4g", value).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
    }
}
