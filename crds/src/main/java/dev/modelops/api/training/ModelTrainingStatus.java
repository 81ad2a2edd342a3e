package dev.modelops.api.training;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.common.Artifact;
import io.fabric8.kubernetes.api.model.Condition;

@JsonClassDescription("What the operator observed of the training.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelTrainingStatus {

    @JsonPropertyDescription("Pending, Queued (suspended, waiting for Kueue admission), Running, Succeeded, Failed or Suspended.")
    private TrainingPhase phase;

    @JsonPropertyDescription("Ready (the summary), Running, Succeeded, Failed and Suspended, with reasons.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("The Job running the workers.")
    private String jobName;

    @JsonPropertyDescription("When the first worker started (RFC 3339).")
    private String startTime;

    @JsonPropertyDescription("When the training succeeded or failed (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("Attempts so far: 1 plus the failed pods the Job retried.")
    private Integer attempts;

    @JsonPropertyDescription("Worker pods by state.")
    private WorkerCounts workers;

    @JsonPropertyDescription("Metrics the trainer reported.")
    private Map<String, Double> metrics;

    @JsonPropertyDescription("The artifact the trainer reported.")
    private Artifact artifact;

    @JsonPropertyDescription("Name of the ModelVersion this training produced.")
    private String modelVersion;

    public TrainingPhase getPhase() {
        return phase;
    }

    public void setPhase(TrainingPhase phase) {
        this.phase = phase;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public String getJobName() {
        return jobName;
    }

    public void setJobName(String jobName) {
        this.jobName = jobName;
    }

    public String getStartTime() {
        return startTime;
    }

    public void setStartTime(String startTime) {
        this.startTime = startTime;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public Integer getAttempts() {
        return attempts;
    }

    public void setAttempts(Integer attempts) {
        this.attempts = attempts;
    }

    public WorkerCounts getWorkers() {
        return workers;
    }

    public void setWorkers(WorkerCounts workers) {
        this.workers = workers;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public Artifact getArtifact() {
        return artifact;
    }

    public void setArtifact(Artifact artifact) {
        this.artifact = artifact;
    }

    public String getModelVersion() {
        return modelVersion;
    }

    public void setModelVersion(String modelVersion) {
        this.modelVersion = modelVersion;
    }
}
