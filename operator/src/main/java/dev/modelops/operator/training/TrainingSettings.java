package dev.modelops.operator.training;

import java.util.List;
import java.util.Map;

import dev.modelops.api.common.Dataset;
import dev.modelops.api.training.ModelTrainingSpec;
import dev.modelops.api.training.TrainerSpec;
import dev.modelops.api.training.TrainingPodTemplate;

/** A training spec with its defaults applied. Defaults live here, at reading time, and are never written to spec. */
record TrainingSettings(
        String model,
        TrainerSpec trainer,
        int gpus,
        String gpuResourceName,
        String gpuProduct,
        int workers,
        int procsPerWorker,
        List<Dataset> datasets,
        Map<String, String> hyperparameters,
        String outputUri,
        String credentialsSecret,
        String queue,
        int maxRetries,
        Long activeDeadlineSeconds,
        boolean suspend,
        TrainingPodTemplate podTemplate) {

    static final String DEFAULT_GPU_RESOURCE = "nvidia.com/gpu";

    static TrainingSettings of(ModelTrainingSpec spec) {
        int gpus = orDefault(spec.getGpus(), 0);
        return new TrainingSettings(
                spec.getModel(),
                spec.getTrainer() == null ? new TrainerSpec() : spec.getTrainer(),
                gpus,
                spec.getGpuResourceName() == null ? DEFAULT_GPU_RESOURCE : spec.getGpuResourceName(),
                spec.getGpuProduct(),
                orDefault(spec.getWorkers(), 1),
                orDefault(spec.getProcsPerWorker(), Math.max(gpus, 1)),
                spec.getDatasets() == null ? List.of() : spec.getDatasets(),
                spec.getHyperparameters() == null ? Map.of() : spec.getHyperparameters(),
                spec.getOutput() == null ? null : spec.getOutput().getUri(),
                spec.getOutput() == null ? null : spec.getOutput().getCredentialsSecret(),
                spec.getQueue(),
                orDefault(spec.getMaxRetries(), 0),
                spec.getActiveDeadlineSeconds(),
                Boolean.TRUE.equals(spec.getSuspend()),
                spec.getPodTemplate() == null ? new TrainingPodTemplate() : spec.getPodTemplate());
    }

    boolean distributed() {
        return workers > 1;
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
