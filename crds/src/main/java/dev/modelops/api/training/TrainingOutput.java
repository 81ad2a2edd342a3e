package dev.modelops.api.training;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("Where the trainer writes the model.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingOutput {

    @Required
    @Size(max = 2048)
    @Pattern(ModelOps.ARTIFACT_URI_PATTERN)
    @JsonPropertyDescription("Location prefix for the artifact: pvc://<claim>/<path>, s3://<bucket>/<prefix> or http(s)://... The trainer receives it as MODELOPS_OUTPUT_URI; a pvc:// claim is mounted at /mnt/pvc/<claim>.")
    private String uri;

    @Size(max = 253)
    @JsonPropertyDescription("Name of a Secret whose keys are exposed to the trainer as environment variables (for example AWS_ACCESS_KEY_ID).")
    private String credentialsSecret;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(String credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }
}
