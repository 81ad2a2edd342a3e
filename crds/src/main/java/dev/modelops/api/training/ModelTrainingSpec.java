package dev.modelops.api.training;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Dataset;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

@JsonClassDescription("What to train, on how many GPU workers, from which data, and where the model goes.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = ModelTrainingSpec.SAME_FIELDS, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
public class ModelTrainingSpec {

    /**
     * A training runs with the spec it was created with. Immutability is checked per field, so that each rule reads
     * only a bounded part of the spec (a real API server refuses rules whose estimated cost is unbounded): this rule
     * reads the fields' presence only; each field's own {@code self == oldSelf} compares its value. The fields that
     * embed Kubernetes types (trainer.env, trainer.resources and the pod template's tolerations, affinity, volumes,
     * volume mounts, image pull secrets and annotations) have unbounded strings: the operator checks those against
     * the Job it created and reports a change in a condition (the Job keeps the spec it was created with).
     */
    static final String SAME_FIELDS = "has(self.model) == has(oldSelf.model) && has(self.trainer) == has(oldSelf.trainer) && has(self.gpus) == has(oldSelf.gpus) && has(self.gpuResourceName) == has(oldSelf.gpuResourceName) && has(self.gpuProduct) == has(oldSelf.gpuProduct) && has(self.workers) == has(oldSelf.workers) && has(self.procsPerWorker) == has(oldSelf.procsPerWorker) && has(self.datasets) == has(oldSelf.datasets) && has(self.hyperparameters) == has(oldSelf.hyperparameters) && has(self.output) == has(oldSelf.output) && has(self.queue) == has(oldSelf.queue) && has(self.maxRetries) == has(oldSelf.maxRetries) && has(self.activeDeadlineSeconds) == has(oldSelf.activeDeadlineSeconds) && has(self.podTemplate) == has(oldSelf.podTemplate)";

    /** What a person sees when an update changes an immutable field. */
    public static final String IMMUTABLE_MESSAGE = "spec cannot change once the training is created, except spec.suspend";

    /** The per-field rule: the value may not change (presence is checked by SAME_FIELDS). */
    public static final String UNCHANGED = "self == oldSelf";

    @Required
    @Size(min = 1, max = ModelOps.MODEL_NAME_MAX_LENGTH)
    @Pattern(ModelOps.MODEL_NAME_PATTERN)
    @JsonPropertyDescription("The model family the result belongs to; the produced version is named <model>-v<N>.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String model;

    @Required
    @JsonPropertyDescription("The trainer container: image, command, arguments, environment and resources.")
    private TrainerSpec trainer;

    @Min(0)
    @Max(64)
    @JsonPropertyDescription("GPUs per worker, requested as the resource gpuResourceName. Defaults to 0 (CPU only).")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Integer gpus;

    @Size(max = 253)
    @Pattern("^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$")
    @JsonPropertyDescription("Extended resource name of the GPU. Defaults to nvidia.com/gpu.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String gpuResourceName;

    @Size(max = 63)
    @JsonPropertyDescription("GPU product to schedule on (matched against the node label nvidia.com/gpu.product), for example NVIDIA-H100-80GB-HBM3.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String gpuProduct;

    @Min(1)
    @Max(1024)
    @JsonPropertyDescription("Number of worker pods. 1 runs a single pod; more runs an Indexed Job with one rank per pod and the torchrun environment. Defaults to 1.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Integer workers;

    @Min(1)
    @Max(64)
    @JsonPropertyDescription("Processes per worker (torchrun --nproc-per-node). Defaults to gpus, or 1 without GPUs.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Integer procsPerWorker;

    @Size(max = 32)
    @JsonPropertyDescription("Datasets the trainer reads; recorded as lineage on the produced version.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private List<Dataset> datasets;

    @Size(max = 64)
    @JsonPropertyDescription("Hyperparameters handed to the trainer as MODELOPS_HYPERPARAMETERS (JSON) and recorded as lineage.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Map<String, @Size(max = ModelOps.HYPERPARAMETER_MAX_LENGTH) String> hyperparameters;

    @Required
    @JsonPropertyDescription("Where the trained artifact is written.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private TrainingOutput output;

    @Size(max = 253)
    @JsonPropertyDescription("Kueue LocalQueue to submit to. The Job is created suspended with the queue label, so Kueue admits all workers at once.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String queue;

    @Min(0)
    @Max(100)
    @JsonPropertyDescription("How many failed pods the Job tolerates before the training fails (the Job's backoffLimit). Defaults to 0.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Integer maxRetries;

    @Min(1)
    @JsonPropertyDescription("Wall-clock limit in seconds for the whole training, retries included.")
    @ValidationRule(value = UNCHANGED, message = IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Long activeDeadlineSeconds;

    @JsonPropertyDescription("Suspends the training: running pods are stopped and the Job waits. Set back to false to resume. The only field that may change after creation.")
    private Boolean suspend;

    @JsonPropertyDescription("Scheduling and pod-level settings for the worker pods.")
    private TrainingPodTemplate podTemplate;

    public String getModel() {
        return model;
    }

    public void setModel(String model) {
        this.model = model;
    }

    public TrainerSpec getTrainer() {
        return trainer;
    }

    public void setTrainer(TrainerSpec trainer) {
        this.trainer = trainer;
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

    public String getGpuProduct() {
        return gpuProduct;
    }

    public void setGpuProduct(String gpuProduct) {
        this.gpuProduct = gpuProduct;
    }

    public Integer getWorkers() {
        return workers;
    }

    public void setWorkers(Integer workers) {
        this.workers = workers;
    }

    public Integer getProcsPerWorker() {
        return procsPerWorker;
    }

    public void setProcsPerWorker(Integer procsPerWorker) {
        this.procsPerWorker = procsPerWorker;
    }

    public List<Dataset> getDatasets() {
        return datasets;
    }

    public void setDatasets(List<Dataset> datasets) {
        this.datasets = datasets;
    }

    public Map<String, String> getHyperparameters() {
        return hyperparameters;
    }

    public void setHyperparameters(Map<String, String> hyperparameters) {
        this.hyperparameters = hyperparameters;
    }

    public TrainingOutput getOutput() {
        return output;
    }

    public void setOutput(TrainingOutput output) {
        this.output = output;
    }

    public String getQueue() {
        return queue;
    }

    public void setQueue(String queue) {
        this.queue = queue;
    }

    public Integer getMaxRetries() {
        return maxRetries;
    }

    public void setMaxRetries(Integer maxRetries) {
        this.maxRetries = maxRetries;
    }

    public Long getActiveDeadlineSeconds() {
        return activeDeadlineSeconds;
    }

    public void setActiveDeadlineSeconds(Long activeDeadlineSeconds) {
        this.activeDeadlineSeconds = activeDeadlineSeconds;
    }

    public Boolean getSuspend() {
        return suspend;
    }

    public void setSuspend(Boolean suspend) {
        this.suspend = suspend;
    }

    public TrainingPodTemplate getPodTemplate() {
        return podTemplate;
    }

    public void setPodTemplate(TrainingPodTemplate podTemplate) {
        this.podTemplate = podTemplate;
    }
}
