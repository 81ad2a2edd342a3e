package dev.modelops.runtime.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The exposition is a contract the canary analysis and the autoscaler read: pinned byte for byte. */
class InferenceMetricsTest {

    @Test
    void theExpositionMatchesTheGoldenFile() throws IOException {
        InferenceMetrics metrics = new InferenceMetrics("iris", "3", "canary");
        metrics.queueDepth(() -> 2);
        metrics.inFlight(() -> 5);
        metrics.request(InferenceMetrics.Outcome.success, 250_000_000);
        metrics.request(InferenceMetrics.Outcome.success, 500_000);
        metrics.request(InferenceMetrics.Outcome.client_error, 2_000_000_000L);
        metrics.request(InferenceMetrics.Outcome.rejected, 20_000_000_000L);
        metrics.queued(125_000_000);
        metrics.batch(1);
        metrics.batch(32);
        metrics.batch(300);
        metrics.prediction("setosa");
        metrics.prediction("virginica");
        metrics.prediction("setosa");
        String golden;
        try (InputStream in = getClass().getResourceAsStream("exposition-golden.txt")) {
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(metrics.scrape()).isEqualTo(golden);
    }

    @Test
    void classesPastTheCapAreCountedAsOther() {
        InferenceMetrics metrics = new InferenceMetrics("m", "1", "stable");
        for (int i = 0; i < InferenceMetrics.MAX_CLASSES + 50; i++) {
            metrics.prediction("c" + i);
            metrics.prediction("c" + i);
        }
        metrics.prediction("c0");
        String scrape = metrics.scrape();
        Matcher series = Pattern.compile("(?m)^modelops_predictions_total\\{class=\"([^\"]+)\"[^}]*} (\\S+)$")
                .matcher(scrape);
        int count = 0;
        double other = -1;
        double c0 = -1;
        while (series.find()) {
            count++;
            if (series.group(1).equals(InferenceMetrics.OTHER_CLASS)) {
                other = Double.parseDouble(series.group(2));
            } else if (series.group(1).equals("c0")) {
                c0 = Double.parseDouble(series.group(2));
            }
        }
        // The first MAX_CLASSES classes keep their own series; the 50 after them share "other".
        assertThat(count).isEqualTo(InferenceMetrics.MAX_CLASSES + 1);
        assertThat(c0).isEqualTo(3);
        assertThat(other).isEqualTo(2 * 50);
        assertThat(scrape).doesNotContain("class=\"c" + InferenceMetrics.MAX_CLASSES + "\"");
    }
}
