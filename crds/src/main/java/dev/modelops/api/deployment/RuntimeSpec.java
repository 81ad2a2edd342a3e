package dev.modelops.api.deployment;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

@JsonClassDescription("The inference server pods.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RuntimeSpec {

    @Size(max = 1024)
    @JsonPropertyDescription("Runtime image. Defaults to the operator's configured runtime image.")
    private String image;

    @JsonPropertyDescription("CPU and memory requests and limits per pod.")
    private ResourceRequirements resources;

    @Min(0)
    @Max(16)
    @JsonPropertyDescription("GPUs per pod (nvidia.com/gpu unless gpuResourceName says otherwise). Defaults to 0.")
    private Integer gpus;

    @Size(max = 253)
    @JsonPropertyDescription("Extended resource name of the GPU. Defaults to nvidia.com/gpu.")
    private String gpuResourceName;

    @JsonPropertyDescription("Dynamic batching of concurrent requests.")
    private Batching batching;

    @JsonPropertyDescription("ONNX Runtime thread pools.")
    private Threads threads;

    @Size(max = 64)
    @JsonPropertyDescription("Extra environment variables for the server.")
    private List<EnvVar> env;

    public String getImage() {
        return image;
    }

    public void setImage(String image) {
        this.image = image;
    }

    public ResourceRequirements getResources() {
        return resources;
    }

    public void setResources(ResourceRequirements resources) {
        this.resources = resources;
    }

    public Integer getGpus() {
        return gpus;
    }

    public void setGpus(Integer gpus) {
        this.gpus = gpus;
    }

    public String getGpuResourceName() {
        return gpuResourceName;
    }

    public void setGpuResourceName(String gpuResourceName) {
        this.gpuResourceName = gpuResourceName;
    }

    public Batching getBatching() {
        return batching;
    }

    public void setBatching(Batching batching) {
        this.batching = batching;
    }

    public Threads getThreads() {
        return threads;
    }

    public void setThreads(Threads threads) {
        this.threads = threads;
    }

    public List<EnvVar> getEnv() {
        return env;
    }

    public void setEnv(List<EnvVar> env) {
        this.env = env;
    }
}
