package dev.modelops.api.version;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Facts established by the validation Job.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ValidationStatus {

    @JsonPropertyDescription("The validation Job of the latest attempt.")
    private String job;

    @JsonPropertyDescription("Validation attempts so far (transient failures are retried).")
    private Integer attempts;

    @JsonPropertyDescription("SHA-256 of the file that was fetched.")
    private String sha256;

    @JsonPropertyDescription("True when spec.artifact.sha256 was given and matched.")
    private Boolean sha256Verified;

    @JsonPropertyDescription("Size of the artifact in bytes.")
    private Long sizeBytes;

    @JsonPropertyDescription("Milliseconds ONNX Runtime took to load the model.")
    private Long loadMillis;

    @JsonPropertyDescription("Milliseconds of the warm-up inference.")
    private Long warmupMillis;

    @JsonPropertyDescription("Why the warm-up inference (on zeros, or on the sample input) failed, for a model that loads: a warning, not a failure; the version is served.")
    private String warmupError;

    @JsonPropertyDescription("When validation finished (RFC 3339).")
    private String completionTime;

    @JsonPropertyDescription("The value of the modelops.dev/revalidate annotation this validation answered.")
    private String revalidateToken;

    public String getJob() {
        return job;
    }

    public void setJob(String job) {
        this.job = job;
    }

    public Integer getAttempts() {
        return attempts;
    }

    public void setAttempts(Integer attempts) {
        this.attempts = attempts;
    }

    public String getSha256() {
        return sha256;
    }

    public void setSha256(String sha256) {
        this.sha256 = sha256;
    }

    public Boolean getSha256Verified() {
        return sha256Verified;
    }

    public void setSha256Verified(Boolean sha256Verified) {
        this.sha256Verified = sha256Verified;
    }

    public Long getSizeBytes() {
        return sizeBytes;
    }

    public void setSizeBytes(Long sizeBytes) {
        this.sizeBytes = sizeBytes;
    }

    public Long getLoadMillis() {
        return loadMillis;
    }

    public void setLoadMillis(Long loadMillis) {
        this.loadMillis = loadMillis;
    }

    public Long getWarmupMillis() {
        return warmupMillis;
    }

    public void setWarmupMillis(Long warmupMillis) {
        this.warmupMillis = warmupMillis;
    }

    public String getCompletionTime() {
        return completionTime;
    }

    public void setCompletionTime(String completionTime) {
        this.completionTime = completionTime;
    }

    public String getRevalidateToken() {
        return revalidateToken;
    }

    public void setRevalidateToken(String revalidateToken) {
        this.revalidateToken = revalidateToken;
    }

    public String getWarmupError() {
        return warmupError;
    }

    public void setWarmupError(String warmupError) {
        this.warmupError = warmupError;
    }
}
