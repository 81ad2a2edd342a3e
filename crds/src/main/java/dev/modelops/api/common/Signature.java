package dev.modelops.api.common;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonClassDescription("The inputs and outputs a model declares.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Signature {

    @JsonPropertyDescription("Model inputs.")
    private List<TensorSpec> inputs;

    @JsonPropertyDescription("Model outputs.")
    private List<TensorSpec> outputs;

    public List<TensorSpec> getInputs() {
        return inputs;
    }

    public void setInputs(List<TensorSpec> inputs) {
        this.inputs = inputs;
    }

    public List<TensorSpec> getOutputs() {
        return outputs;
    }

    public void setOutputs(List<TensorSpec> outputs) {
        this.outputs = outputs;
    }
}
