package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("The new version must be no worse than stable on this metric, within a tolerance.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RegressionGate {

    @Required
    @Size(min = 1, max = 63)
    @JsonPropertyDescription("Metric name in the versions' spec.metrics.")
    private String metric;

    @JsonPropertyDescription("True when a lower value is better (loss, error). Defaults to false.")
    private Boolean lowerIsBetter;

    @Min(0)
    @JsonPropertyDescription("How much worse than stable is still accepted, in the metric's units. Defaults to 0.")
    private Double tolerance;

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public Boolean getLowerIsBetter() {
        return lowerIsBetter;
    }

    public void setLowerIsBetter(Boolean lowerIsBetter) {
        this.lowerIsBetter = lowerIsBetter;
    }

    public Double getTolerance() {
        return tolerance;
    }

    public void setTolerance(Double tolerance) {
        this.tolerance = tolerance;
    }
}
