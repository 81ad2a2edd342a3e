package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

@JsonClassDescription("Concurrent requests merged into one inference, only for models whose first dimension is dynamic.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Batching {

    @Min(1)
    @Max(4096)
    @JsonPropertyDescription("Largest merged batch, in rows. 1 turns batching off. Defaults to 1.")
    private Integer maxBatchSize;

    @Pattern(ModelOps.DURATION_PATTERN)
    @JsonPropertyDescription("Longest a request waits for others to join its batch, for example 2ms. Defaults to 1ms.")
    private String maxDelay;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Requests that may wait; past this the server answers 503 with Retry-After. Defaults to 256.")
    private Integer queueCapacity;

    public Integer getMaxBatchSize() {
        return maxBatchSize;
    }

    public void setMaxBatchSize(Integer maxBatchSize) {
        this.maxBatchSize = maxBatchSize;
    }

    public String getMaxDelay() {
        return maxDelay;
    }

    public void setMaxDelay(String maxDelay) {
        this.maxDelay = maxDelay;
    }

    public Integer getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(Integer queueCapacity) {
        this.queueCapacity = queueCapacity;
    }
}
