package dev.modelops.api.deployment;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonClassDescription("ONNX Runtime thread pools; unset, the runtime sizes them from the CPUs the container may use.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Threads {

    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Threads used inside one operator (intra-op).")
    private Integer intraOp;

    @Min(1)
    @Max(256)
    @JsonPropertyDescription("Threads running independent operators in parallel (inter-op).")
    private Integer interOp;

    public Integer getIntraOp() {
        return intraOp;
    }

    public void setIntraOp(Integer intraOp) {
        this.intraOp = intraOp;
    }

    public Integer getInterOp() {
        return interOp;
    }

    public void setInterOp(Integer interOp) {
        this.interOp = interOp;
    }
}
