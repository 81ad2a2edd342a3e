package dev.modelops.api.deployment;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;

@JsonClassDescription("Conditions on the new version's recorded metrics (spec.metrics of the ModelVersion) checked before it gets traffic. A version that fails a gate is rejected without serving.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Gates {

    @Size(max = 32)
    @JsonPropertyDescription("Metric name to the lowest value allowed, for example accuracy: 0.9. A missing metric fails the gate.")
    private Map<String, Double> minimums;

    @Size(max = 32)
    @JsonPropertyDescription("Metric name to the highest value allowed, for example loss: 0.3.")
    private Map<String, Double> maximums;

    @Size(max = 32)
    @JsonPropertyDescription("Metrics on which the new version must be no worse than the stable one.")
    private List<RegressionGate> noWorseThanStable;

    public Map<String, Double> getMinimums() {
        return minimums;
    }

    public void setMinimums(Map<String, Double> minimums) {
        this.minimums = minimums;
    }

    public Map<String, Double> getMaximums() {
        return maximums;
    }

    public void setMaximums(Map<String, Double> maximums) {
        this.maximums = maximums;
    }

    public List<RegressionGate> getNoWorseThanStable() {
        return noWorseThanStable;
    }

    public void setNoWorseThanStable(List<RegressionGate> noWorseThanStable) {
        this.noWorseThanStable = noWorseThanStable;
    }
}
