package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;

@JsonClassDescription("What is served, how the rollout goes, and what happened to earlier rollouts.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelDeploymentStatus {

    @JsonPropertyDescription("Healthy, Progressing, Paused or Degraded.")
    private DeploymentPhase phase;

    @JsonPropertyDescription("One line on where the deployment is and why: what serves, what rolls out, what went wrong.")
    private String message;

    @JsonPropertyDescription("Ready (the summary), Available, Progressing, Degraded and Paused, with reasons.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("The track serving the promoted version.")
    private TrackStatus stable;

    @JsonPropertyDescription("The track of the version being rolled out, while a rollout is in progress.")
    private TrackStatus canary;

    @StatusReplicas
    @JsonPropertyDescription("Pods across tracks (the scale subresource's status.replicas).")
    private Integer replicas;

    @JsonPropertyDescription("Ready pods across tracks.")
    private Integer readyReplicas;

    @LabelSelector
    @JsonPropertyDescription("Label selector of all the deployment's pods, for the scale subresource.")
    private String selector;

    @JsonPropertyDescription("Finished rollouts, newest last (at most 10 kept).")
    private List<HistoryEntry> history;

    @JsonPropertyDescription("In-cluster URL of the inference endpoint.")
    private String url;

    @JsonPropertyDescription("The last modelops.dev/action the operator consumed.")
    private ActionRecord lastAction;

    public DeploymentPhase getPhase() {
        return phase;
    }

    public void setPhase(DeploymentPhase phase) {
        this.phase = phase;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
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

    public TrackStatus getStable() {
        return stable;
    }

    public void setStable(TrackStatus stable) {
        this.stable = stable;
    }

    public TrackStatus getCanary() {
        return canary;
    }

    public void setCanary(TrackStatus canary) {
        this.canary = canary;
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

    public String getSelector() {
        return selector;
    }

    public void setSelector(String selector) {
        this.selector = selector;
    }

    public List<HistoryEntry> getHistory() {
        return history;
    }

    public void setHistory(List<HistoryEntry> history) {
        this.history = history;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public ActionRecord getLastAction() {
        return lastAction;
    }

    public void setLastAction(ActionRecord lastAction) {
        this.lastAction = lastAction;
    }
}
