package dev.modelops.operator.training;

import java.net.HttpURLConnection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.modelops.api.ModelOps;
import dev.modelops.api.common.Artifact;
import dev.modelops.api.common.ArtifactFormat;
import dev.modelops.api.training.ModelTraining;
import dev.modelops.api.version.ModelVersion;
import dev.modelops.api.version.ModelVersionSpec;
import dev.modelops.api.version.VersionSource;
import dev.modelops.operator.common.KubeNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Records a finished training as the next ModelVersion of its family. Numbers are claimed by creating the object
 * named {@code <model>-v<N>}: the API server lets only one create of a name succeed, so two trainings finishing
 * together get distinct numbers. The version is deliberately not owned by the training: deleting a training must
 * never delete a model that may be serving.
 */
@ApplicationScoped
public class ModelVersionRegistrar {

    public static final String LABEL_TRAINING_UID = ModelOps.GROUP + "/training-uid";
    private static final Logger LOG = Logger.getLogger(ModelVersionRegistrar.class);
    private static final int MAX_CLAIMS = 20;

    private final KubernetesClient client;

    public ModelVersionRegistrar(KubernetesClient client) {
        this.client = client;
    }

    /** The name of the version this training produced, creating it if this is the first time we get here. */
    public String register(ModelTraining training, TrainerResult result, String trainerImage) {
        String namespace = training.getMetadata().getNamespace();
        Optional<ModelVersion> existing = client.resources(ModelVersion.class).inNamespace(namespace)
                .withLabel(LABEL_TRAINING_UID, training.getMetadata().getUid()).list().getItems().stream().findFirst();
        if (existing.isPresent()) {
            return existing.get().getMetadata().getName();
        }
        String model = training.getSpec().getModel();
        int next = highestVersion(namespace, model) + 1;
        for (int attempt = 0; attempt < MAX_CLAIMS; attempt++, next++) {
            ModelVersion version = build(training, result, trainerImage, next);
            try {
                client.resource(version).create();
                LOG.infof("training %s/%s produced %s", namespace, training.getMetadata().getName(),
                        version.getMetadata().getName());
                return version.getMetadata().getName();
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                // Another training (or a person) took this number first: try the next one.
            }
        }
        throw new IllegalStateException("could not claim a version number for model " + model + " after "
                + MAX_CLAIMS + " attempts");
    }

    private int highestVersion(String namespace, String model) {
        return client.resources(ModelVersion.class).inNamespace(namespace).list().getItems().stream()
                .filter(v -> v.getSpec() != null && model.equals(v.getSpec().getModel()))
                .mapToInt(v -> v.getSpec().getVersion() == null ? 0 : v.getSpec().getVersion())
                .max().orElse(0);
    }

    static ModelVersion build(ModelTraining training, TrainerResult result, String trainerImage, int number) {
        TrainingSettings settings = TrainingSettings.of(training.getSpec());
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ModelOps.LABEL_MODEL, settings.model());
        labels.put(ModelOps.LABEL_VERSION, Integer.toString(number));
        labels.put(ModelOps.LABEL_TRAINING, KubeNames.fit(training.getMetadata().getName(), 63));
        labels.put(LABEL_TRAINING_UID, training.getMetadata().getUid());
        labels.put(ModelOps.LABEL_MANAGED_BY, ModelOps.MANAGED_BY);

        Artifact artifact = new Artifact();
        artifact.setUri(result.artifactUri());
        artifact.setFormat(ArtifactFormat.onnx);
        artifact.setSha256(result.sha256());
        artifact.setCredentialsSecret(settings.credentialsSecret());

        VersionSource source = new VersionSource();
        source.setTraining(training.getMetadata().getName());
        source.setTrainingUid(training.getMetadata().getUid());
        source.setTrainerImage(trainerImage != null ? trainerImage : settings.trainer().getImage());
        source.setDatasets(settings.datasets().isEmpty() ? null : settings.datasets());
        source.setHyperparameters(settings.hyperparameters().isEmpty() ? null : settings.hyperparameters());

        ModelVersionSpec spec = new ModelVersionSpec();
        spec.setModel(settings.model());
        spec.setVersion(number);
        spec.setArtifact(artifact);
        spec.setMetrics(result.metrics().isEmpty() ? null : result.metrics());
        spec.setClassLabels(result.classLabels().isEmpty() ? null : result.classLabels());
        spec.setSource(source);

        ModelVersion version = new ModelVersion();
        version.setMetadata(new ObjectMetaBuilder()
                .withName(settings.model() + "-v" + number)
                .withNamespace(training.getMetadata().getNamespace())
                .withLabels(labels)
                .build());
        version.setSpec(spec);
        return version;
    }
}
