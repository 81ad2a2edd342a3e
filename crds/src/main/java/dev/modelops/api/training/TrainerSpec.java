package dev.modelops.api.training;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonClassDescription("The trainer container. It reports its result as JSON in its termination message: {\"artifact\": {\"uri\": ..., \"sha256\": ...}, \"metrics\": {...}}.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.image) == has(oldSelf.image) && has(self.imagePullPolicy) == has(oldSelf.imagePullPolicy) && has(self.command) == has(oldSelf.command) && has(self.args) == has(oldSelf.args) && has(self.env) == has(oldSelf.env) && has(self.resources) == has(oldSelf.resources)", message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
public class TrainerSpec {

    @Required
    @Size(min = 1, max = 1024)
    @JsonPropertyDescription("Trainer image.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String image;

    @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never. Defaults as Kubernetes does.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private PullPolicy imagePullPolicy;

    @Size(max = 64)
    @JsonPropertyDescription("Entrypoint override.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private List<@Size(max = 4096) String> command;

    @Size(max = 256)
    @JsonPropertyDescription("Arguments to the entrypoint.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private List<@Size(max = 4096) String> args;

    @Size(max = 128)
    @JsonPropertyDescription("Extra environment variables. Names starting with MODELOPS_ are reserved for the operator.")
    private List<EnvVar> env;

    @JsonPropertyDescription("CPU and memory requests and limits per worker. GPUs are set with spec.gpus.")
    private ResourceRequirements resources;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public PullPolicy getImagePullPolicy() {
        return imagePullPolicy;
    }

    public void setImagePullPolicy(PullPolicy imagePullPolicy) {
        this.imagePullPolicy = imagePullPolicy;
    }

    public List<String> getCommand() {
        return command;
    }

    public void setCommand(List<String> command) {
        this.command = command;
    }

    public List<String> getArgs() {
        return args;
    }

    public void setArgs(List<String> args) {
        this.args = args;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }
}
