package dev.modelops.api.version;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import dev.modelops.api.common.Dataset;
import dev.modelops.api.ModelOps;
import io.fabric8.generator.annotation.Size;

@JsonClassDescription("Lineage: the training, trainer image, data and hyperparameters that produced the version.")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VersionSource {

    @Size(max = 253)
    @JsonPropertyDescription("Name of the ModelTraining that produced it.")
    private String training;

    @Size(max = 64)
    @JsonPropertyDescription("UID of that ModelTraining.")
    private String trainingUid;

    @Size(max = 1024)
    @JsonPropertyDescription("Trainer image as run, by digest where the pod status reported one.")
    private String trainerImage;

    @Size(max = 32)
    @JsonPropertyDescription("Datasets the trainer read.")
    private List<Dataset> datasets;

    @Size(max = 64)
    @JsonPropertyDescription("Hyperparameters of the run.")
    private Map<String, @Size(max = ModelOps.HYPERPARAMETER_MAX_LENGTH) String> hyperparameters;

    @Size(max = 32)
    @JsonPropertyDescription("Free-form provenance, for example git-commit or notebook.")
    private Map<String, @Size(max = 63) String> labels;

    public String getTraining() {
        return training;
    }

    public void setTraining(String training) {
        this.training = training;
    }

    public String getTrainingUid() {
        return trainingUid;
    }

    public void setTrainingUid(String trainingUid) {
        this.trainingUid = trainingUid;
    }

    public String getTrainerImage() {
        return trainerImage;
    }

    public void setTrainerImage(String trainerImage) {
        this.trainerImage = trainerImage;
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

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }
}
