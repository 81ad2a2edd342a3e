package dev.modelops.contract;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go-style durations as Kubernetes tools and this API write them ({@code 250ms}, {@code 1m30s}, {@code 1.5s},
 * {@code 500us}). The runtime also takes a bare number as milliseconds, as its first versions did.
 */
public final class Durations {

    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ns|us|µs|ms|s|m|h)");
    private static final Pattern WHOLE = Pattern.compile("(?:[0-9]+(?:\\.[0-9]+)?(?:ns|us|µs|ms|s|m|h))+");

    private Durations() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming the text when it is no duration. */
    public static Duration parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a duration is required, such as 2ms or 1m30s");
        }
        String trimmed = text.trim();
        if (trimmed.matches("[0-9]+")) {
            return Duration.ofMillis(Long.parseLong(trimmed));
        }
        if (!WHOLE.matcher(trimmed).matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (use a number with a unit: ns, us, ms,"
                    + " s, m or h, such as 2ms or 1m30s)");
        }
        double nanos = 0;
        Matcher m = PART.matcher(trimmed);
        while (m.find()) {
            nanos += Double.parseDouble(m.group(1)) * nanosPer(m.group(2));
        }
        return Duration.ofNanos(Math.round(nanos));
    }

    /** The shortest Go-style text for {@code d}: {@code 2ms}, {@code 1m30s}, {@code 0s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        long nanos = d.toNanos();
        StringBuilder out = new StringBuilder();
        long[] units = {3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] names = {"h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < units.length; i++) {
            if (nanos >= units[i]) {
                out.append(nanos / units[i]).append(names[i]);
                nanos %= units[i];
            }
        }
        return out.toString();
    }

    private static double nanosPer(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "m" -> 60e9;
            case "h" -> 3600e9;
            default -> throw new IllegalArgumentException("unknown unit " + unit);
        };
    }
}
