package dev.modelops.api.version;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("A ModelDeployment that serves this version.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DeploymentReference {

    @JsonPropertyDescription("ModelDeployment name (same namespace).")
    private String name;

    @JsonPropertyDescription("stable or canary.")
    private String track;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getTrack() {
        return track;
    }

    public void setTrack(String track) {
        this.track = track;
    }
}
