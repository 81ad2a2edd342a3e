package dev.modelops.api.version;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Artifact;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("The model version: immutable once created.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "self == oldSelf", message = "a ModelVersion is immutable: create a new version instead of editing spec", reason = "FieldValueForbidden")
public class ModelVersionSpec {

    @Required
    @Size(min = 1, max = ModelOps.MODEL_NAME_MAX_LENGTH)
    @Pattern(ModelOps.MODEL_NAME_PATTERN)
    @JsonPropertyDescription("The model family.")
    private String model;

    @Required
    @Min(1)
    @Max(1000000)
    @JsonPropertyDescription("Version number within the family; a training creates highest + 1.")
    private Integer version;

    @Required
    @JsonPropertyDescription("The model file.")
    private Artifact artifact;

    @Size(max = 64)
    @JsonPropertyDescription("Evaluation metrics (name to number), used by deployment gates; accuracy is shown by kubectl get.")
    private Map<String, Double> metrics;

    @JsonPropertyDescription("Where the version came from.")
    private VersionSource source;

    @Size(max = 1000)
    @JsonPropertyDescription("Names of a classifier's classes, by output index (the trainer reports them). The inference server labels its prediction metrics with them, which the canary's prediction-drift analysis compares.")
    private List<@Size(max = 256) String> classLabels;

    @Size(max = ModelOps.WARMUP_INPUT_MAX_LENGTH)
    @JsonPropertyDescription("An inference request body (Open Inference Protocol JSON, the inputs of one small batch) that the runtime warms the model up with instead of zero-valued inputs: for models that cannot run on zeros (an integer division, a Resize with zero scales). The validation Job and every serving pod use it. A warm-up failure is reported as a warning (status.validation.warmupError), never a refusal; a sample that does not fit the model's signature fails validation with WarmupFailed.")
    private String warmupInput;

    public String getWarmupInput() {
        return warmupInput;
    }

    public void setWarmupInput(String warmupInput) {
        this.warmupInput = warmupInput;
    }

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

    public Artifact getArtifact() {
        return artifact;
    }

    public void setArtifact(Artifact artifact) {
        this.artifact = artifact;
    }

    public Map<String, Double> getMetrics() {
        return metrics;
    }

    public void setMetrics(Map<String, Double> metrics) {
        this.metrics = metrics;
    }

    public VersionSource getSource() {
        return source;
    }

    public void setSource(VersionSource source) {
        this.source = source;
    }

    public List<String> getClassLabels() {
        return classLabels;
    }

    public void setClassLabels(List<String> classLabels) {
        this.classLabels = classLabels;
    }
}
