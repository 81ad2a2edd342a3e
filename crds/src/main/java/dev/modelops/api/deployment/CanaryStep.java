package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("One canary step: exactly one of setWeight, pause or analysis.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.setWeight) ? 1 : 0) + (has(self.pause) ? 1 : 0) + (has(self.analysis) ? 1 : 0) == 1", message = "a canary step must set exactly one of setWeight, pause or analysis", reason = "FieldValueInvalid")
public class CanaryStep {

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("Percent of traffic for the canary from this step on.")
    private Integer setWeight;

    @JsonPropertyDescription("Wait: for a duration, or with no duration until someone promotes (annotation modelops.dev/action=promote).")
    private PauseStep pause;

    @JsonPropertyDescription("Run the rollout's analysis template and go on only if it succeeds.")
    private AnalysisStep analysis;

    public Integer getSetWeight() {
        return setWeight;
    }

    public void setSetWeight(Integer setWeight) {
        this.setWeight = setWeight;
    }

    public PauseStep getPause() {
        return pause;
    }

    public void setPause(PauseStep pause) {
        this.pause = pause;
    }

    public AnalysisStep getAnalysis() {
        return analysis;
    }

    public void setAnalysis(AnalysisStep analysis) {
        this.analysis = analysis;
    }
}
