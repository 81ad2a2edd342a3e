package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("How a new version replaces the serving one.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!has(self.steps) || self.steps.filter(s, has(s.setWeight)).map(s, s.setWeight).isSorted()", message = "canary steps' setWeight values must not decrease", reason = "FieldValueInvalid", fieldPath = ".steps")
@ValidationRule(value = "!has(self.steps) || !self.steps.exists(s, has(s.analysis)) || has(self.analysis)", message = "an analysis step needs rollout.analysis, the template it runs", reason = "FieldValueRequired", fieldPath = ".analysis")
@ValidationRule(value = "!has(self.strategy) || self.strategy == 'Canary' || !has(self.steps)", message = "steps apply only to the Canary strategy", reason = "FieldValueForbidden", fieldPath = ".steps")
public class RolloutSpec {

    @JsonPropertyDescription("Canary (default: steps move traffic gradually, with analysis) or Immediate (replace at once once the new pods are ready).")
    private RolloutStrategy strategy;

    @Size(max = 64)
    @JsonPropertyDescription("Canary steps, in order. Each is exactly one of setWeight, pause or analysis. Without steps a canary goes straight to promotion once ready and gated.")
    private List<CanaryStep> steps;

    @JsonPropertyDescription("The analysis that analysis steps run: which metrics, their thresholds, how often.")
    private AnalysisTemplate analysis;

    @JsonPropertyDescription("Checks on the new version's recorded metrics before any traffic reaches it.")
    private Gates gates;

    @JsonPropertyDescription("How traffic is split between stable and canary.")
    private TrafficSpec traffic;

    public RolloutStrategy getStrategy() {
        return strategy;
    }

    public void setStrategy(RolloutStrategy strategy) {
        this.strategy = strategy;
    }

    public List<CanaryStep> getSteps() {
        return steps;
    }

    public void setSteps(List<CanaryStep> steps) {
        this.steps = steps;
    }

    public AnalysisTemplate getAnalysis() {
        return analysis;
    }

    public void setAnalysis(AnalysisTemplate analysis) {
        this.analysis = analysis;
    }

    public Gates getGates() {
        return gates;
    }

    public void setGates(Gates gates) {
        this.gates = gates;
    }

    public TrafficSpec getTraffic() {
        return traffic;
    }

    public void setTraffic(TrafficSpec traffic) {
        this.traffic = traffic;
    }
}
