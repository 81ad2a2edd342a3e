package dev.modelops.api.common;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("A dataset handed to the trainer and recorded as lineage.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Dataset {

    @Required
    @Size(min = 1, max = 63)
    @Pattern("^[a-z0-9]([-a-z0-9_]*[a-z0-9])?$")
    @JsonPropertyDescription("Short name; the trainer receives the location as MODELOPS_DATASET_<NAME> (upper-cased, '-' as '_').")
    private String name;

    @Required
    @Size(max = 2048)
    @Pattern(ModelOps.ARTIFACT_URI_PATTERN)
    @JsonPropertyDescription("Where the data is: pvc://<claim>/<path>, s3://<bucket>/<key> or http(s)://<host>/<path>.")
    private String uri;

    @Size(max = 64)
    @Pattern(ModelOps.SHA256_PATTERN)
    @JsonPropertyDescription("Optional lower-case hex SHA-256 of the data, recorded in the produced version's lineage.")
    private String sha256;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getUri() {
        return uri;
    }

    public void setUri(String uri) {
        this.uri = uri;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }
}
