package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("A pause in the rollout.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PauseStep {

    @Size(max = ModelOps.DURATION_MAX_LENGTH)
    @Pattern(ModelOps.DURATION_PATTERN)
    @JsonPropertyDescription("How long to wait, for example 10m. Without it the rollout waits for a promote.")
    private String duration;

    public String getDuration() {
        return duration;
    }

    public void setDuration(String duration) {
        this.duration = duration;
    }
}
