package dev.modelops.api.training;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("Worker pods by state, as the Job reports them.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkerCounts {

    @JsonPropertyDescription("Pods running now.")
    private Integer active;

    @JsonPropertyDescription("Pods that finished successfully.")
    private Integer succeeded;

    @JsonPropertyDescription("Pods that failed (each failure is one attempt).")
    private Integer failed;

    public Integer getActive() {
        return active;
    }

    public void setActive(Integer active) {
        this.active = active;
    }

    public Integer getSucceeded() {
        return succeeded;
    }

    public void setSucceeded(Integer succeeded) {
        this.succeeded = succeeded;
    }

    public Integer getFailed() {
        return failed;
    }

    public void setFailed(Integer failed) {
        this.failed = failed;
    }
}
