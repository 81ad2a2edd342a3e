package dev.modelops.api.version;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.common.Measurement;

@JsonClassDescription("A canary of this version that failed, with the evidence. A rejected version is skipped by versionPolicy Latest.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Rejection {

    @JsonPropertyDescription("The ModelDeployment whose canary failed.")
    private String deployment;

    @JsonPropertyDescription("When the canary was rolled back (RFC 3339).")
    private String time;

    @JsonPropertyDescription("Machine-readable cause, for example AnalysisFailed or GateFailed.")
    private String reason;

    @JsonPropertyDescription("What a person should know about the failure.")
    private String message;

    @JsonPropertyDescription("The measured values that failed the canary.")
    private List<Measurement> measurements;

    public String getDeployment() {
        return deployment;
    }

    public void setDeployment(String deployment) {
        this.deployment = deployment;
    }

    public String getTime() {
        return time;
    }

    public void setTime(String time) {
        this.time = time;
    }

    public String getReason() {
        return reason;
    }

    public void setReason(String reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public List<Measurement> getMeasurements() {
        return measurements;
    }

    public void setMeasurements(List<Measurement> measurements) {
        this.measurements = measurements;
    }
}
