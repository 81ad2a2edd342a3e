package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("One track (stable or canary) of the deployment.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrackStatus {

    @JsonPropertyDescription("Version number served on this track.")
    private Integer version;

    @JsonPropertyDescription("Name of the ModelVersion served on this track.")
    private String modelVersion;

    @JsonPropertyDescription("Pods wanted on this track.")
    private Integer replicas;

    @JsonPropertyDescription("Pods ready on this track.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Percent of traffic this track receives.")
    private Integer weight;

    @JsonPropertyDescription("Index of the canary step in progress (canary track only).")
    private Integer currentStep;

    @JsonPropertyDescription("Hash of spec.rollout.steps the step index refers to; when the steps change, progress restarts.")
    private String stepsHash;

    @JsonPropertyDescription("When the current step started (RFC 3339); pause durations count from here.")
    private String stepStartTime;

    @JsonPropertyDescription("The latest analysis (canary track only).")
    private AnalysisRun analysis;

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getWeight() {
        return weight;
    }

    public void setWeight(Integer weight) {
        this.weight = weight;
    }

    public Integer getCurrentStep() {
        return currentStep;
    }

    public void setCurrentStep(Integer currentStep) {
        this.currentStep = currentStep;
    }

    public String getStepsHash() {
        return stepsHash;
    }

    public void setStepsHash(String stepsHash) {
        this.stepsHash = stepsHash;
    }

    public String getStepStartTime() {
        return stepStartTime;
    }

    public void setStepStartTime(String stepStartTime) {
        this.stepStartTime = stepStartTime;
    }

    public AnalysisRun getAnalysis() {
        return analysis;
    }

    public void setAnalysis(AnalysisRun analysis) {
        this.analysis = analysis;
    }
}
