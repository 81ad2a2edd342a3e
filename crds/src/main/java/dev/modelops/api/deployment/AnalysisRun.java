package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.common.Measurement;
import dev.modelops.api.common.MeasurementOutcome;

@JsonClassDescription("The latest analysis of the canary against stable.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class AnalysisRun {

    @JsonPropertyDescription("When the latest measurement was taken (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Successful, Inconclusive or Failed: the verdict of the latest measurement.")
    private MeasurementOutcome outcome;

    @JsonPropertyDescription("Measurements taken in this analysis step so far.")
    private Integer count;

    @JsonPropertyDescription("Failed measurements in this analysis step so far.")
    private Integer failures;

    @JsonPropertyDescription("Inconclusive measurements in this analysis step so far.")
    private Integer inconclusives;

    @JsonPropertyDescription("The latest measurements of this rollout, newest last (at most 30): each metric's value, stable's value, threshold, outcome and time.")
    private List<Measurement> measurements;

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public MeasurementOutcome getOutcome() {
        return outcome;
    }

    public void setOutcome(MeasurementOutcome outcome) {
        this.outcome = outcome;
    }

    public Integer getCount() {
        return count;
    }

    public void setCount(Integer count) {
        this.count = count;
    }

    public Integer getFailures() {
        return failures;
    }

    public void setFailures(Integer failures) {
        this.failures = failures;
    }

    public Integer getInconclusives() {
        return inconclusives;
    }

    public void setInconclusives(Integer inconclusives) {
        this.inconclusives = inconclusives;
    }

    public List<Measurement> getMeasurements() {
        return measurements;
    }

    public void setMeasurements(List<Measurement> measurements) {
        this.measurements = measurements;
    }
}
