package dev.modelops.api.common;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("One metric measured during canary analysis, with the threshold it was held to.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Measurement {

    @JsonPropertyDescription("Metric name, as named in the analysis template.")
    private String metric;

    @JsonPropertyDescription("Measured value on the canary.")
    private Double value;

    @JsonPropertyDescription("The same metric measured on stable, where it was compared.")
    private Double stableValue;

    @JsonPropertyDescription("The condition the value had to meet, for example '<= 0.05'.")
    private String threshold;

    @JsonPropertyDescription("Successful, Inconclusive, Failed or Error (the metrics could not be read).")
    private MeasurementOutcome outcome;

    @JsonPropertyDescription("Why the outcome is what it is, when that is not obvious (for example too few requests).")
    private String message;

    @JsonPropertyDescription("When it was measured (RFC 3339).")
    private String time;

    public String getMetric() {
        return metric;
    }

    public void setMetric(String metric) {
        this.metric = metric;
    }

    public Double getValue() {
        return value;
    }

    public void setValue(Double value) {
        this.value = value;
    }

    public Double getStableValue() {
        return stableValue;
    }

    public void setStableValue(Double stableValue) {
        this.stableValue = stableValue;
    }

    public String getThreshold() {
        return threshold;
    }

    public void setThreshold(String threshold) {
        this.threshold = threshold;
    }

    public MeasurementOutcome getOutcome() {
        return outcome;
    }

    public void setOutcome(MeasurementOutcome outcome) {
        this.outcome = outcome;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }
}
