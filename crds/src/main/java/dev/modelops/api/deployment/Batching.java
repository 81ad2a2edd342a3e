package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import dev.modelops.contract.RuntimeContract;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("Concurrent requests merged into one inference, only for models whose first dimension is dynamic.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Batching {

    @Min(1)
    @Max(4096)
    @JsonPropertyDescription("Largest merged batch, in rows. 1 turns batching off. Defaults to "
            + RuntimeContract.DEFAULT_MAX_BATCH_SIZE + " (the runtime's default).")
    private Integer maxBatchSize;

    @Size(max = ModelOps.DURATION_MAX_LENGTH)
    @Pattern(ModelOps.DURATION_PATTERN)
    @JsonPropertyDescription("Longest the oldest request waits for others to join its batch, for example 2ms. Defaults to "
            + RuntimeContract.DEFAULT_MAX_BATCH_DELAY
            + ": a batch is whatever queued while the previous one ran, so no latency is added when idle.")
    private String maxDelay;

    @Min(1)
    @Max(100000)
    @JsonPropertyDescription("Requests that may wait; past this the server answers 503 with Retry-After. Defaults to "
            + RuntimeContract.DEFAULT_QUEUE_CAPACITY + ".")
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
