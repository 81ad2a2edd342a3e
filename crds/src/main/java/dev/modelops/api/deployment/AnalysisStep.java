package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonClassDescription("A step that runs the rollout's analysis template.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisStep {

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Measurements to take, one per template interval. Defaults to 1.")
    private Integer measurements;

    public Integer getMeasurements() {
        return measurements;
    }

    public void setMeasurements(Integer measurements) {
        this.measurements = measurements;
    }
}
