package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

@JsonClassDescription("Which model to serve, at which version, how big, and how new versions roll out.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.version) && has(self.versionPolicy) && self.versionPolicy == 'Latest')", message = "version and versionPolicy: Latest exclude each other: pin a version, or follow the latest", reason = "FieldValueInvalid")
@ValidationRule(value = "has(self.version) || (has(self.versionPolicy) && self.versionPolicy == 'Latest')", message = "set version to pin a version, or versionPolicy: Latest to follow the newest Ready version", reason = "FieldValueRequired")
public class ModelDeploymentSpec {

    @Required
    @Size(min = 1, max = ModelOps.MODEL_NAME_MAX_LENGTH)
    @Pattern(ModelOps.MODEL_NAME_PATTERN)
    @JsonPropertyDescription("The model family to serve.")
    private String model;

    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("The version to serve, pinned (the GitOps way): changing it starts a rollout to that version.")
    private Integer version;

    @JsonPropertyDescription("Pinned (default: serve spec.version) or Latest (follow the newest Ready version of the model that no canary rejected).")
    private VersionPolicy versionPolicy;

    @SpecReplicas
    @Min(0)
    @Max(1000)
    @JsonPropertyDescription("Total inference pods across tracks, when not autoscaling. Defaults to 1. With autoscaling the HorizontalPodAutoscaler sets it through the scale subresource.")
    private Integer replicas;

    @JsonPropertyDescription("Horizontal autoscaling of the total replica count.")
    private Autoscaling autoscaling;

    @JsonPropertyDescription("The inference server: image, resources, GPUs, batching, threads.")
    private RuntimeSpec runtime;

    @JsonPropertyDescription("How a new version replaces the current one.")
    private RolloutSpec rollout;

    @JsonPropertyDescription("The Service in front of the model.")
    private ServiceSpec service;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public Integer getVersion() {
        return version;
    }

    public void setVersion(Integer version) {
        this.version = version;
    }

    public VersionPolicy getVersionPolicy() {
        return versionPolicy;
    }

    public void setVersionPolicy(VersionPolicy versionPolicy) {
        this.versionPolicy = versionPolicy;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Autoscaling getAutoscaling() {
        return autoscaling;
    }

    public void setAutoscaling(Autoscaling autoscaling) {
        this.autoscaling = autoscaling;
    }

    public RuntimeSpec getRuntime() {
        return runtime;
    }

    public void setRuntime(RuntimeSpec runtime) {
        this.runtime = runtime;
    }

    public RolloutSpec getRollout() {
        return rollout;
    }

    public void setRollout(RolloutSpec rollout) {
        this.rollout = rollout;
    }

    public ServiceSpec getService() {
        return service;
    }

    public void setService(ServiceSpec service) {
        this.service = service;
    }
}
