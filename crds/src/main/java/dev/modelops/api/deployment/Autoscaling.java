package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("An autoscaling/v2 HorizontalPodAutoscaler on the deployment's scale subresource; the operator splits the replicas between tracks by weight.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.minReplicas) || self.maxReplicas >= self.minReplicas", message = "autoscaling.maxReplicas must be at least minReplicas", reason = "FieldValueInvalid")
public class Autoscaling {

    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Fewest replicas. Defaults to 1.")
    private Integer minReplicas;

    @Required
    @Min(1)
    @Max(1000)
    @JsonPropertyDescription("Most replicas.")
    private Integer maxReplicas;

    @Min(1)
    @Max(100)
    @JsonPropertyDescription("Target average CPU utilisation in percent of the request. Defaults to 80.")
    private Integer targetCPUUtilizationPercentage;

    @Min(1)
    @Max(10000)
    @JsonPropertyDescription("Target in-flight requests per pod, through the modelops_inference_in_flight_requests pod metric. Needs a custom-metrics adapter (such as prometheus-adapter) in the cluster.")
    private Integer targetConcurrency;

    public Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public Integer getTargetCPUUtilizationPercentage() {
        return targetCPUUtilizationPercentage;
    }

    public void setTargetCPUUtilizationPercentage(Integer targetCPUUtilizationPercentage) {
        this.targetCPUUtilizationPercentage = targetCPUUtilizationPercentage;
    }

    public Integer getTargetConcurrency() {
        return targetConcurrency;
    }

    public void setTargetConcurrency(Integer targetConcurrency) {
        this.targetConcurrency = targetConcurrency;
    }
}
