package dev.modelops.api.common;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("A model file in an artifact store.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Artifact {

    @Required
    @Size(max = 2048)
    @Pattern(ModelOps.ARTIFACT_URI_PATTERN)
    @JsonPropertyDescription("Where the model file is: pvc://<claim>/<path>, s3://<bucket>/<key> or http(s)://<host>/<path>.")
    private String uri;

    @JsonPropertyDescription("The file format. Only onnx is served today; defaults to onnx.")
    private ArtifactFormat format;

    @Size(max = 64)
    @Pattern(ModelOps.SHA256_PATTERN)
    @JsonPropertyDescription("Lower-case hex SHA-256 of the file. When set, every fetch refuses a file that does not match; when unset, validation records the digest it saw.")
    private String sha256;

    @Size(max = 253)
    @JsonPropertyDescription("Name of a Secret in the same namespace with the store's credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, optional AWS_ENDPOINT_URL and AWS_REGION for s3://; optional HTTP_AUTHORIZATION for http(s)://). Never copied into status, events or logs.")
    private String credentialsSecret;

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public ArtifactFormat getFormat() {
        return format;
    }

    public void setFormat(ArtifactFormat format) {
        this.format = format;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public String getCredentialsSecret() {
        return credentialsSecret;
    }

    public void setCredentialsSecret(String credentialsSecret) {
        this.credentialsSecret = credentialsSecret;
    }
}
