package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("How the canary is judged against stable.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisTemplate {

    @Size(max = ModelOps.DURATION_MAX_LENGTH)
    @Pattern(ModelOps.DURATION_PATTERN)
    @JsonPropertyDescription("Time between measurements. Defaults to 1m.")
    private String interval;

    @Required
    @Size(min = 1, max = 16)
    @JsonPropertyDescription("Metrics and their thresholds; a measurement fails when any metric fails.")
    private List<AnalysisMetric> metrics;

    @Min(0)
    @Max(1000000)
    @JsonPropertyDescription("Fewest canary requests in an interval for a measurement to count; below it the measurement is Inconclusive. Defaults to 50.")
    private Integer minRequests;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Failed measurements tolerated; one more rolls the canary back. Defaults to 0.")
    private Integer failureLimit;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Inconclusive measurements tolerated before the rollout pauses for a person. Defaults to 0.")
    private Integer inconclusiveLimit;

    @Size(max = 2048)
    @Pattern("^https?://[^\\s]+$")
    @JsonPropertyDescription("Prometheus base URL. Needed by Prometheus metrics; when set, the built-in metrics are queried there instead of scraped from the pods.")
    private String prometheusAddress;

    public String getInterval() {
        return interval;
    }

    public void setInterval(String interval) {
        this.interval = interval;
    }

    public List<AnalysisMetric> getMetrics() {
        return metrics;
    }

    public void setMetrics(List<AnalysisMetric> metrics) {
        this.metrics = metrics;
    }

    public Integer getMinRequests() {
        return minRequests;
    }

    public void setMinRequests(Integer minRequests) {
        this.minRequests = minRequests;
    }

    public Integer getFailureLimit() {
        return failureLimit;
    }

    public void setFailureLimit(Integer failureLimit) {
        this.failureLimit = failureLimit;
    }

    public Integer getInconclusiveLimit() {
        return inconclusiveLimit;
    }

    public void setInconclusiveLimit(Integer inconclusiveLimit) {
        this.inconclusiveLimit = inconclusiveLimit;
    }

    public String getPrometheusAddress() {
        return prometheusAddress;
    }

    public void setPrometheusAddress(String prometheusAddress) {
        this.prometheusAddress = prometheusAddress;
    }
}
