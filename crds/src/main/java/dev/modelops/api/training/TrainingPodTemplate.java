package dev.modelops.api.training;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonClassDescription;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;

@JsonClassDescription("Pod-level settings applied to every worker pod.")
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.labels) == has(oldSelf.labels) && has(self.annotations) == has(oldSelf.annotations) && has(self.nodeSelector) == has(oldSelf.nodeSelector) && has(self.tolerations) == has(oldSelf.tolerations) && has(self.affinity) == has(oldSelf.affinity) && has(self.priorityClassName) == has(oldSelf.priorityClassName) && has(self.serviceAccountName) == has(oldSelf.serviceAccountName) && has(self.imagePullSecrets) == has(oldSelf.imagePullSecrets) && has(self.volumes) == has(oldSelf.volumes) && has(self.volumeMounts) == has(oldSelf.volumeMounts)", message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
public class TrainingPodTemplate {

    @Size(max = 32)
    @JsonPropertyDescription("Extra labels on the worker pods.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Map<String, @Size(max = 63) String> labels;

    @Size(max = 32)
    @JsonPropertyDescription("Extra annotations on the worker pods.")
    private Map<String, String> annotations;

    @Size(max = 32)
    @JsonPropertyDescription("Node selector, merged with the GPU product selector.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private Map<String, @Size(max = 63) String> nodeSelector;

    @Size(max = 32)
    @JsonPropertyDescription("Tolerations, added to the GPU toleration the operator sets for GPU workers.")
    private List<Toleration> tolerations;

    @JsonPropertyDescription("Affinity rules for the worker pods.")
    private Affinity affinity;

    @Size(max = 253)
    @JsonPropertyDescription("Priority class of the worker pods.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String priorityClassName;

    @Size(max = 253)
    @JsonPropertyDescription("Service account the worker pods run as.")
    @ValidationRule(value = ModelTrainingSpec.UNCHANGED, message = ModelTrainingSpec.IMMUTABLE_MESSAGE, reason = "FieldValueForbidden")
    private String serviceAccountName;

    @Size(max = 16)
    @JsonPropertyDescription("Secrets for pulling the trainer image.")
    private List<LocalObjectReference> imagePullSecrets;

    @Size(max = 32)
    @JsonPropertyDescription("Extra volumes for the worker pods.")
    private List<Volume> volumes;

    @Size(max = 32)
    @JsonPropertyDescription("Where the extra volumes are mounted in the trainer container.")
    private List<VolumeMount> volumeMounts;

    public Map<String, String> getLabels() {
        return labels;
    }

    public void setLabels(Map<String, String> labels) {
        this.labels = labels;
    }

    public Map<String, String> getAnnotations() {
        return annotations;
    }

    public void setAnnotations(Map<String, String> annotations) {
        this.annotations = annotations;
    }

    public Map<String, String> getNodeSelector() {
        return nodeSelector;
    }

    public void setNodeSelector(Map<String, String> nodeSelector) {
        this.nodeSelector = nodeSelector;
    }

    public List<Toleration> getTolerations() {
        return tolerations;
    }

    public void setTolerations(List<Toleration> tolerations) {
        this.tolerations = tolerations;
    }

    public Affinity getAffinity() {
        return affinity;
    }

    public void setAffinity(Affinity affinity) {
        this.affinity = affinity;
    }

    public String getPriorityClassName() {
        return priorityClassName;
    }

    public void setPriorityClassName(String priorityClassName) {
        this.priorityClassName = priorityClassName;
    }

    public String getServiceAccountName() {
        return serviceAccountName;
    }

    public void setServiceAccountName(String serviceAccountName) {
        this.serviceAccountName = serviceAccountName;
    }

    public List<LocalObjectReference> getImagePullSecrets() {
        return imagePullSecrets;
    }

    public void setImagePullSecrets(List<LocalObjectReference> imagePullSecrets) {
        this.imagePullSecrets = imagePullSecrets;
    }

    public List<Volume> getVolumes() {
        return volumes;
    }

    public void setVolumes(List<Volume> volumes) {
        this.volumes = volumes;
    }

    public List<VolumeMount> getVolumeMounts() {
        return volumeMounts;
    }

    public void setVolumeMounts(List<VolumeMount> volumeMounts) {
        this.volumeMounts = volumeMounts;
    }
}
