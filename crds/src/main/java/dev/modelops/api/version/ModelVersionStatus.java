package dev.modelops.api.version;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.common.Signature;
import io.fabric8.kubernetes.api.model.Condition;

@JsonClassDescription("What validation found, who serves the version, and which canaries of it failed.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionStatus {

    @JsonPropertyDescription("Pending, Validating, Ready or Failed.")
    private VersionPhase phase;

    @JsonPropertyDescription("Ready (the summary) and Validated, with reasons.")
    private List<Condition> conditions;

    @JsonPropertyDescription("The metadata.generation this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("The model's inputs and outputs as loaded by ONNX Runtime.")
    private Signature signature;

    @JsonPropertyDescription("Facts established by validation.")
    private ValidationStatus validation;

    @JsonPropertyDescription("ModelDeployments serving this version now, and on which track. Deletion waits until this is empty.")
    private List<DeploymentReference> deployments;

    @JsonPropertyDescription("Canaries of this version that were rolled back, with the evidence.")
    private List<Rejection> rejections;

    public VersionPhase getPhase() {
        return phase;
    }

    public void setPhase(VersionPhase phase) {
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

    public Signature getSignature() {
        return signature;
    }

    public void setSignature(Signature signature) {
        this.signature = signature;
    }

    public ValidationStatus getValidation() {
        return validation;
    }

    public void setValidation(ValidationStatus validation) {
        this.validation = validation;
    }

    public List<DeploymentReference> getDeployments() {
        return deployments;
    }

    public void setDeployments(List<DeploymentReference> deployments) {
        this.deployments = deployments;
    }

    public List<Rejection> getRejections() {
        return rejections;
    }

    public void setRejections(List<Rejection> rejections) {
        this.rejections = rejections;
    }
}
