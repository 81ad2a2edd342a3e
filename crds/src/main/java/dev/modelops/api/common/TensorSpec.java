package dev.modelops.api.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("One input or output of a model, as ONNX Runtime reports it.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TensorSpec {

    @JsonPropertyDescription("Tensor name.")
    private String name;

    @JsonPropertyDescription("Open Inference Protocol datatype: FP32, FP64, FP16, INT8..INT64, UINT8..UINT64, BOOL or BYTES.")
    private String datatype;

    @JsonPropertyDescription("Dimensions; -1 marks a dynamic dimension (such as the batch).")
    private List<Long> shape;

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDatatype() {
        return datatype;
    }

    public void setDatatype(String datatype) {
        this.datatype = datatype;
    }

    public List<Long> getShape() {
        return shape;
    }

    public void setShape(List<Long> shape) {
        this.shape = shape;
    }
}
